import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "@/lib/config/env";
import { settleUsage } from "@/lib/ledger/settle";
import { parseKeyRing } from "@/lib/keys/crypto";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { testDb } from "@/lib/testing/db";
import { deliverDueAlerts, MAX_ATTEMPTS } from "./deliver";
import { mailerFromEnv } from "./mailer";
import { queueAlertDeliveries } from "./queue";
import { SIGNATURE_HEADER, verifyWebhook } from "./signature";
import { webhookPolicyFromEnv } from "./webhook-target";
import { setAlertWebhook } from "./webhooks";

const db = testDb();
const ring = parseKeyRing(`test-1:${Buffer.alloc(32, 7).toString("base64")}`);
// The endpoints below listen on 127.0.0.1: allow-listed, as an operator would for development.
const policy = webhookPolicyFromEnv(readEnv({ ...process.env, ALERT_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" }));
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const at = (day: number) => new Date(Date.UTC(2026, 4, day, 12)); // May 2026
const levelsOf = async (accountId: string) =>
  (
    await db.alert.findMany({
      where: { accountId },
      orderBy: [{ kind: "asc" }, { level: "asc" }],
      select: { kind: true, level: true },
    })
  ).map((a) => `${a.kind}:${a.level}`);
const deliveriesOf = (accountId: string) =>
  db.alertDelivery.findMany({ where: { accountId }, orderBy: [{ channel: "asc" }, { recipient: "asc" }] });

/** A local endpoint answering `status`, keeping what it was sent. */
async function endpoint(status: number) {
  const received: { body: string; signature: string; delivery: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({
        body,
        signature: String(req.headers[SIGNATURE_HEADER]),
        delivery: String(req.headers["x-billing-delivery"]),
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/billing`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("alerts at 50/80/100%", () => {
  it("fire exactly once per level when many settlements cross them at once", async () => {
    // PRO: $2 of credits; 40 concurrent requests of 10¢ cross 50%, 80% and 100% of them.
    const user = await userAccount(db, "pro");
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        settleUsage(db, [routedUsage(user.accountId, user.userId, at(1 + (i % 20)), 10)]),
      ),
    );
    expect(await levelsOf(user.accountId)).toEqual(["credits:50", "credits:80", "credits:100"]);

    // An org with $2 of credits and a $10 limit: 60 concurrent requests of 25¢ ($15) cross every
    // level of both (settlement does not enforce the limit: holds do, on the router's path).
    const org = await orgAccount(db, "team", 1, 1);
    await db.billingAccount.update({ where: { id: org.accountId }, data: { spendingLimitCents: 1_000 } });
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        settleUsage(db, [routedUsage(org.accountId, org.memberIds[0]!, at(1 + (i % 20)), 25)]),
      ),
    );
    expect(await levelsOf(org.accountId)).toEqual([
      "credits:50",
      "credits:80",
      "credits:100",
      "spending_limit:50",
      "spending_limit:80",
      "spending_limit:100",
    ]);
  });

  it("fire nothing below 50%, and record what was used of what", async () => {
    const user = await userAccount(db, "pro");
    await settleUsage(db, [routedUsage(user.accountId, user.userId, at(3), 99)]);
    expect(await levelsOf(user.accountId)).toEqual([]);
    await settleUsage(db, [routedUsage(user.accountId, user.userId, at(4), 1)]);
    expect(await db.alert.findMany({ where: { accountId: user.accountId } })).toMatchObject([
      { kind: "credits", level: 50, usedNano: 1_000_000_000n, capNano: 2_000_000_000n },
    ]);
  });
});

describe("alert deliveries", () => {
  it("emails the owner through SMTP, or keeps the email in the outbox without one", async () => {
    const user = await userAccount(db, "pro");
    await settleUsage(db, [routedUsage(user.accountId, user.userId, at(5), 100)]);
    await queueAlertDeliveries(db);
    await queueAlertDeliveries(db); // queued once
    const [queued] = await deliveriesOf(user.accountId);
    expect(await deliveriesOf(user.accountId)).toHaveLength(1);
    expect(queued).toMatchObject({ channel: "email", recipient: user.email, status: "pending" });
    expect(queued!.subject).toBe("50% of monthly credits used for 2026-05");

    // A backlog older than ours, larger than one batch: every due delivery is still sent.
    const busy = await userAccount(db, "pro");
    const backlog = await db.alert.create({
      data: {
        accountId: busy.accountId,
        period: at(1),
        kind: "credits",
        level: 50,
        usedNano: 1n,
        capNano: 2n,
      },
    });
    await db.alertDelivery.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        accountId: busy.accountId,
        alertId: backlog.id,
        channel: "email" as const,
        recipient: `backlog-${i}@test.example`,
        subject: "backlog",
        body: "backlog",
        nextAttemptAt: new Date(Date.now() - 3_600_000),
      })),
    });
    await deliverDueAlerts(db, { mailer: null, ring });
    expect(await deliveriesOf(user.accountId)).toMatchObject([{ status: "outbox", attempts: 1 }]);
    expect(await db.alertDelivery.count({ where: { accountId: busy.accountId, status: "outbox" } })).toBe(
      120,
    );

    // The same through a real SMTP server.
    const other = await userAccount(db, "pro");
    await settleUsage(db, [routedUsage(other.accountId, other.userId, at(5), 100)]);
    await queueAlertDeliveries(db);
    const mails: { to: string; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, done) {
        let data = "";
        stream.on("data", (c: Buffer) => (data += c.toString()));
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), data });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    try {
      const port = (smtp.server.address() as AddressInfo).port;
      const mailer = mailerFromEnv({
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        ALERTS_EMAIL_FROM: "billing@test.example",
      });
      await deliverDueAlerts(db, { mailer, ring });
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
    expect(await deliveriesOf(other.accountId)).toMatchObject([{ status: "sent" }]);
    const mail = mails.find((m) => m.to === other.email);
    expect(mail?.data).toContain("Subject: 50% of monthly credits used for 2026-05");
    expect(mail?.data).toContain("$1.00 of $2.00 used.");
  });

  it("emails every admin of an org", async () => {
    const org = await orgAccount(db, "team", 1, 3); // the first member is the admin
    await settleUsage(db, [routedUsage(org.accountId, org.memberIds[0]!, at(6), 100)]);
    await queueAlertDeliveries(db);
    const admins = await db.membership.findMany({
      where: { orgId: org.orgId, role: "admin" },
      select: { user: { select: { email: true } } },
    });
    expect((await deliveriesOf(org.accountId)).map((d) => d.recipient)).toEqual(
      admins.map((a) => a.user.email),
    );
  });

  it("signs webhook calls with the account's secret", async () => {
    const hook = await endpoint(204);
    try {
      const user = await userAccount(db, "pro");
      const { secret } = await setAlertWebhook(db, ring, {
        accountId: user.accountId,
        actorUserId: user.userId,
        url: hook.url,
        policy,
      });
      await settleUsage(db, [routedUsage(user.accountId, user.userId, at(7), 100)]);
      await queueAlertDeliveries(db);
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy });
      const webhook = (await deliveriesOf(user.accountId)).find((d) => d.channel === "webhook")!;
      expect(webhook).toMatchObject({ status: "sent", attempts: 1 });
      expect(hook.received).toHaveLength(1);
      const [call] = hook.received;
      expect(call!.delivery).toBe(webhook.id);
      expect(
        verifyWebhook(secret, call!.body, call!.signature, { now: new Date(), toleranceSeconds: 300 }),
      ).toBe(true);
      expect(
        verifyWebhook("whsec_wrong", call!.body, call!.signature, { now: new Date(), toleranceSeconds: 300 }),
      ).toBe(false);
      expect(JSON.parse(call!.body)).toMatchObject({
        type: "billing.alert",
        kind: "credits",
        level: 50,
        usedNano: "1000000000",
      });
    } finally {
      await hook.close();
    }
  });

  it("retries a failing webhook with backoff, then marks it failed", async () => {
    const hook = await endpoint(500);
    try {
      const user = await userAccount(db, "pro");
      await setAlertWebhook(db, ring, {
        accountId: user.accountId,
        actorUserId: user.userId,
        url: hook.url,
        policy,
      });
      await settleUsage(db, [routedUsage(user.accountId, user.userId, at(8), 100)]);
      await queueAlertDeliveries(db);
      const webhook = async () => (await deliveriesOf(user.accountId)).find((d) => d.channel === "webhook")!;

      // With the real backoff, a failed attempt waits a minute: not due again right away.
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, backoffMs: 60_000 });
      const first = await webhook();
      expect(first).toMatchObject({
        status: "pending",
        attempts: 1,
        lastError: "The endpoint answered 500.",
      });
      expect(first.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(50_000);
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, backoffMs: 60_000 });
      expect(hook.received).toHaveLength(1);

      // Make it due again, and let every retry come at once (no wait).
      await db.alertDelivery.updateMany({ where: { id: first.id }, data: { nextAttemptAt: new Date() } });
      for (let i = 1; i < MAX_ATTEMPTS; i++)
        await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, backoffMs: 0 });
      expect(await webhook()).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
      expect(hook.received).toHaveLength(MAX_ATTEMPTS);
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, backoffMs: 0 });
      expect(hook.received).toHaveLength(MAX_ATTEMPTS); // failed is final
    } finally {
      await hook.close();
    }
  });
});
