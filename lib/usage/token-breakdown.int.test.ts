import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as usage from "@/app/api/billing/usage/route";
import { createApiToken } from "@/lib/auth/tokens";
import { settleUsage } from "@/lib/ledger/settle";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import type { BreakdownWire } from "./wire";
import { prepareTable } from "./prepare-table";
import { usageCsv } from "./usage-csv";

// GET /api/billing/usage?groupBy=token: the caller's own usage by access token, by name and
// last 4 only, with a total that agrees with the other views to the nano-dollar.
const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const day = new Date("2026-11-10T12:00:00.000Z");
const query = (groupBy: string, billTo?: string) =>
  `http://localhost/api/billing/usage?from=2026-11-01&to=2026-12-01&groupBy=${groupBy}${billTo ? `&billTo=${billTo}` : ""}`;

async function breakdown(token: string, groupBy: string, billTo?: string) {
  const res = await callRoute(usage.GET, { token, url: query(groupBy, billTo) });
  expect(res.status).toBe(200);
  return res.json as unknown as BreakdownWire;
}

describe("usage by access token", () => {
  it("breaks the caller's usage down by token, never showing a token, agreeing with the other views", async () => {
    const user = await userAccount(db, "pro");
    const ci = await createApiToken(db, { userId: user.userId, name: "ci" });
    const laptop = await createApiToken(db, { userId: user.userId, name: "laptop" });
    await settleUsage(db, [
      routedUsage(user.accountId, user.userId, day, 30, { tokenId: ci.record.id }),
      routedUsage(user.accountId, user.userId, day, 7, { tokenId: ci.record.id }),
      routedUsage(user.accountId, user.userId, day, 12, { tokenId: laptop.record.id }),
      routedUsage(user.accountId, user.userId, day, 5), // reported without a token
    ]);
    const byToken = await breakdown(ci.token, "token");
    expect(byToken.groupBy).toBe("token");
    expect(byToken.rows.map((r) => [r.key, r.label, r.routed.requests, r.routed.costNano])).toEqual([
      [ci.record.id, `ci (hf_…${ci.token.slice(-4)})`, 2, "370000000"],
      [laptop.record.id, `laptop (hf_…${laptop.token.slice(-4)})`, 1, "120000000"],
      ["none", "Without an access token", 1, "50000000"],
    ]);
    const text = JSON.stringify(byToken);
    expect(text).not.toContain(ci.token);
    expect(text).not.toContain(laptop.token);
    const byModel = await breakdown(ci.token, "model");
    expect(byToken.total).toEqual(byModel.total);
    // The CSV the page downloads for each table ends on the same total, to the nano-dollar.
    const csvTotal = (wire: BreakdownWire) => {
      const table = prepareTable(wire.rows);
      return usageCsv(wire.groupBy, table.rows, table.total).trim().split("\n").at(-1);
    };
    expect(csvTotal(byToken)).toBe(csvTotal(byModel));
    expect(csvTotal(byToken)).toMatch(/^Total,4,0,.*,0\.54$/); // $0.37 + $0.12 + $0.05
  });

  it("billed to an org, a member sees their own tokens, an admin every member's by name and last 4", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const [admin, writer] = org.memberIds as [string, string]; // the first member is the admin
    const ta = await createApiToken(db, { userId: admin, name: "a" });
    const tw = await createApiToken(db, { userId: writer, name: "w" });
    await settleUsage(db, [
      routedUsage(org.accountId, admin, day, 3, { tokenId: ta.record.id }),
      routedUsage(org.accountId, writer, day, 4, { tokenId: tw.record.id }),
    ]);
    const own = await breakdown(tw.token, "token", org.orgName);
    expect(own.rows.map((r) => r.key)).toEqual([tw.record.id]);
    expect(own.total.routed.costNano).toBe("40000000");
    const all = await breakdown(ta.token, "token", org.orgName);
    expect(all.rows.map((r) => [r.key, r.label])).toEqual([
      [tw.record.id, `w (hf_…${tw.token.slice(-4)})`],
      [ta.record.id, `a (hf_…${ta.token.slice(-4)})`],
    ]);
    expect(JSON.stringify(all)).not.toContain(tw.token);
    expect(all.total).toEqual((await breakdown(ta.token, "model", org.orgName)).total);
  });
});
