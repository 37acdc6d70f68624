import { afterAll, describe, expect, it } from "vitest";
import { parseKeyRing } from "@/lib/keys/crypto";
import { userAccount } from "@/lib/testing/billing-fixtures";
import { testDb } from "@/lib/testing/db";
import { removeAlertWebhook, setAlertWebhook } from "./webhooks";
import type { WebhookPolicy } from "./webhook-target";

const db = testDb();
afterAll(() => db.$disconnect());
const ring = parseKeyRing(`test-1:${Buffer.alloc(32, 7).toString("base64")}`);
const policy: WebhookPolicy = {
  allowHosts: new Set(),
  production: true,
  resolve: async () => [{ address: "93.184.216.34", family: 4 }],
};

describe("an account's alert webhook under parallel calls (two tabs, a double click)", () => {
  it("20 parallel saves each succeed, one after the other, each audited with the one before", async () => {
    const a = await userAccount(db, "pro");
    const saves = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        setAlertWebhook(db, ring, {
          accountId: a.accountId,
          actorUserId: a.userId,
          url: `https://hooks.example/${i}`,
          policy,
        }),
      ),
    );
    expect(saves.filter((s) => s.status === "rejected")).toEqual([]);
    const entries = await db.auditLog.findMany({
      where: { accountId: a.accountId, action: "alerts.webhook.update" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries).toHaveLength(20);
    expect(entries.filter((e) => e.before === null)).toHaveLength(1); // only the first had none before
  });

  it("20 parallel removals answer alike, remove it once and audit it once", async () => {
    const a = await userAccount(db, "pro");
    await setAlertWebhook(db, ring, {
      accountId: a.accountId,
      actorUserId: a.userId,
      url: "https://hooks.example/x",
      policy,
    });
    const removals = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        removeAlertWebhook(db, { accountId: a.accountId, actorUserId: a.userId }),
      ),
    );
    expect(removals.filter((s) => s.status === "rejected")).toEqual([]);
    expect(await db.alertWebhook.count({ where: { accountId: a.accountId } })).toBe(0);
    expect(
      await db.auditLog.count({ where: { accountId: a.accountId, action: "alerts.webhook.delete" } }),
    ).toBe(1);
  });
});
