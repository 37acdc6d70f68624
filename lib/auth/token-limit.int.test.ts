import { afterAll, describe, expect, it } from "vitest";
import * as tokens from "@/app/api/settings/tokens/route";
import * as tokenLimit from "@/app/api/settings/tokens/[id]/limit/route";
import { createUser } from "@/lib/accounts/users";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { callRoute } from "@/lib/testing/call-route";
import { createApiToken } from "./tokens";

// POST /api/settings/tokens with a limit, and PUT /api/settings/tokens/{id}/limit: validated,
// the owner's own tokens only, every change audited on their account.
const db = testDb();
afterAll(() => db.$disconnect());

async function owner() {
  const user = await createUser(db, { email: uniqueEmail(), password: "correct horse battery", plan: "pro" });
  const { token } = await createApiToken(db, { userId: user.id, name: "admin" });
  return { user, token };
}

describe("a token's spending limit through the API", () => {
  it("is set at creation with its reset, and shows its window", async () => {
    const { token } = await owner();
    const created = await callRoute(tokens.POST, {
      method: "POST",
      token,
      body: { name: "ci", limitCents: 500, limitReset: "weekly" },
    });
    expect(created.status).toBe(201);
    const record = (created.json as { record: Record<string, unknown> }).record;
    expect(record).toMatchObject({ limitCents: 500, limitReset: "weekly" });
    expect(record.window).toMatchObject({ spentNano: "0", spentCents: 0, reservedCents: 0 });
    const listed = await callRoute(tokens.GET, { token });
    const all = (listed.json as { tokens: { id: string; limitCents: number | null; window: unknown }[] })
      .tokens;
    expect(all.find((t) => t.id === record.id)).toMatchObject({ limitCents: 500 });
    expect(all.find((t) => t.id !== record.id)).toMatchObject({ limitCents: null, window: null });
  });

  it.each([
    [{ limitCents: 0, limitReset: "daily" }],
    [{ limitCents: 2_000_000_001, limitReset: "daily" }],
    [{ limitCents: 1.5, limitReset: "daily" }],
    [{ limitCents: "500", limitReset: "daily" }],
    [{ limitCents: 500 }],
    [{ limitReset: "daily" }],
    [{ limitCents: 500, limitReset: "hourly" }],
  ])("refuses %j with 400", async (limit) => {
    const { token } = await owner();
    const res = await callRoute(tokens.POST, { method: "POST", token, body: { name: "x", ...limit } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("the owner changes and removes it, audited; another user's token is not found", async () => {
    const { user, token } = await owner();
    const { record } = await createApiToken(db, {
      userId: user.id,
      name: "ci",
      limitCents: 100,
      limitReset: "daily",
    });
    const put = (body: unknown, as = token, id = record.id) =>
      callRoute(tokenLimit.PUT, { method: "PUT", token: as, params: { id }, body });
    expect((await put({ limitCents: 250, limitReset: "monthly" })).json).toEqual({
      limitCents: 250,
      limitReset: "monthly",
    });
    expect((await put({ limitCents: 250, limitReset: "monthly" })).status).toBe(200); // no change, no entry
    expect((await put({ limitCents: null })).json).toEqual({ limitCents: null, limitReset: null });
    expect(await db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({
      limitCents: null,
      limitReset: null,
    });
    const entries = await db.auditLog.findMany({
      where: { target: record.id, action: "access_token.limit.update" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => [e.before, e.after])).toEqual([
      [
        { last4: record.last4, limitCents: 100, limitReset: "daily" },
        { last4: record.last4, limitCents: 250, limitReset: "monthly" },
      ],
      [
        { last4: record.last4, limitCents: 250, limitReset: "monthly" },
        { last4: record.last4, limitCents: null, limitReset: null },
      ],
    ]);
    expect(entries.every((e) => e.actorUserId === user.id)).toBe(true);

    expect((await put({ limitCents: 5 })).status).toBe(400); // a limit needs its reset
    const stranger = await owner();
    const foreign = await put({ limitCents: 1, limitReset: "daily" }, stranger.token);
    expect(foreign.status).toBe(404);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: record.id } })).limitCents).toBeNull();
  });
});
