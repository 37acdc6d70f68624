import { dateWindow } from "@/lib/api/query-params";
import { isoDay } from "@/lib/kernel/period";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auditLog from "@/app/api/organizations/[org]/audit-log/route";
import { addMember } from "@/lib/accounts/orgs";
import { createUser } from "@/lib/accounts/users";
import { createApiToken } from "@/lib/auth/tokens";
import { renewSubscriptions } from "@/lib/ledger/subscriptions";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { setProviderKey } from "@/lib/keys/provider-keys";
import { setProviderEnabled, setSpendingLimit } from "@/lib/org-controls/controls";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { ensureTestCatalog, orgAccount, userAccount } from "@/lib/testing/billing-fixtures";
import { callRoute } from "@/lib/testing/call-route";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { AUDIT_CSV_HEADER } from "./audit-csv";
import type { AuditRow } from "./org-log";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const tokenFor = async (userId: string) => (await createApiToken(db, { userId, name: "test" })).token;
const SECRET = "sk-live-THIS-MUST-NEVER-SHOW-9f3a";
const EARLY_SECRET = "sk-live-before-joining-1234";

/**
 * An org whose log holds: the admin setting and removing a limit and switching a provider off;
 * a member adding then replacing a key (while a member), a key that member added before joining
 * (not the org's business), an outsider's key; and the renewal setting seats to the member count.
 */
async function orgWithHistory() {
  const org = await orgAccount(db, "team", 5, 2); // 5 seats; members[0] admin, members[1] write
  const [admin, writer] = org.memberIds as [string, string];
  const ring = providerKeyRing();
  const late = await createUser(db, {
    email: uniqueEmail("late"),
    password: "correct horse battery",
    plan: "free",
  });
  await setProviderKey(db, ring, { userId: late.id, providerId: "together", key: EARLY_SECRET });
  await addMember(db, { orgName: org.orgName, email: late.email, role: "read" });
  const outsider = await userAccount(db, "pro");
  await setProviderKey(db, ring, {
    userId: outsider.userId,
    providerId: "together",
    key: `${SECRET}-outsider`,
  });

  await setSpendingLimit(db, { accountId: org.accountId, actorUserId: admin, limitCents: 5_000 });
  await setProviderEnabled(db, {
    accountId: org.accountId,
    actorUserId: admin,
    providerId: "groq",
    enabled: false,
  });
  await setProviderKey(db, ring, { userId: writer, providerId: "groq", key: SECRET });
  await setProviderKey(db, ring, { userId: writer, providerId: "groq", key: `${SECRET}-2` });
  await setSpendingLimit(db, { accountId: org.accountId, actorUserId: admin, limitCents: null });

  // Renew just this org's subscription: seats become the 3 members.
  const sub = await db.subscription.findFirstOrThrow({ where: { accountId: org.accountId } });
  await db.subscription.updateMany({
    where: { id: sub.id },
    data: {
      currentPeriodStart: new Date(Date.now() - 31 * 86_400_000),
      currentPeriodEnd: new Date(Date.now() - 60_000),
    },
  });
  await renewSubscriptions(db, createLocalProcessor(), { now: new Date() });

  return {
    ...org,
    admin,
    writer,
    late: late.id,
    adminToken: await tokenFor(admin),
    writerToken: await tokenFor(writer),
  };
}

const get = (token: string, org: string, query = "") =>
  callRoute(auditLog.GET, {
    token,
    params: { org },
    url: `http://localhost/api/organizations/${org}/audit-log?${query}`,
  });

const rowsOf = (res: { json: unknown }) => (res.json as { rows: AuditRow[]; total: number }).rows;

describe("GET /api/organizations/{org}/audit-log", () => {
  it("lists the org's changes and its members' key changes, newest first, in words, never a key", async () => {
    const o = await orgWithHistory();
    const res = await get(o.adminToken, o.orgName);
    expect(res.status).toBe(200);
    const rows = rowsOf(res);
    expect(rows.map((r) => r.action)).toEqual([
      "billing.seats.update",
      "spending_limit.update",
      "provider_key.replace",
      "provider_key.create",
      "provider.disable",
      "spending_limit.update",
    ]);
    expect(res.json.total).toBe(6);
    expect(rows[0]).toMatchObject({
      actor: null,
      actionText: "Changed the seats",
      change: "5 seats → 3 seats",
    });
    expect(rows[1]).toMatchObject({
      actor: { id: o.admin },
      actionText: "Changed the spending limit",
      change: "$50.00 → No limit",
    });
    expect(rows[2]).toMatchObject({ actor: { id: o.writer }, target: "groq" });
    expect(rows[2]!.change).toBe("key ending in 9f3a → key ending in 3a-2");
    expect(rows[4]).toMatchObject({ target: "groq", change: "on → off" });
    const text = JSON.stringify(res.json);
    for (const secret of [SECRET, EARLY_SECRET]) expect(text).not.toContain(secret);
  });

  it("filters by type, member (or the system), and UTC days, and pages", async () => {
    const o = await orgWithHistory();
    const actions = async (q: string) => rowsOf(await get(o.adminToken, o.orgName, q)).map((r) => r.action);
    expect(await actions("type=limit")).toEqual(["spending_limit.update", "spending_limit.update"]);
    expect(await actions("type=keys")).toEqual(["provider_key.replace", "provider_key.create"]);
    expect(await actions("type=seats")).toEqual(["billing.seats.update"]);
    expect(await actions(`member=${o.writer}`)).toEqual(["provider_key.replace", "provider_key.create"]);
    expect(await actions(`member=${o.late}`)).toEqual([]);
    expect(await actions("member=system")).toEqual(["billing.seats.update"]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await actions(`from=${today}&to=${today}&type=providers`)).toEqual(["provider.disable"]);
    const first = isoDay(dateWindow().first); // the oldest day kept: nothing happened then
    expect(await actions(`from=${first}&to=${first}`)).toEqual([]);
    const past = await get(o.adminToken, o.orgName, "from=2001-01-01&to=2001-01-31");
    expect(past.status).toBe(400); // before the kept window: a clear error, not an empty page
    const beyond = await get(o.adminToken, o.orgName, "page=2");
    expect(beyond.json).toMatchObject({ rows: [], total: 6, page: 2, pageSize: 50 });
    for (const q of [
      "type=bogus",
      "member=someone",
      "from=2026-13-01",
      "from=2026-02-02&to=2026-02-01",
      "page=0",
      "x=1",
    ])
      expect((await get(o.adminToken, o.orgName, q)).status, q).toBe(400);
  });

  it("exports the filtered entries as CSV, without secrets", async () => {
    const o = await orgWithHistory();
    const csv = await get(o.adminToken, o.orgName, "format=csv&type=keys");
    expect(csv.status).toBe(200);
    const lines = (csv.json as unknown as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe(AUDIT_CSV_HEADER.join(","));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("provider_key.replace");
    expect(lines[1]).toContain("Replaced a provider key");
    expect(lines.join("\n")).not.toContain(SECRET);
    const all = (await get(o.adminToken, o.orgName, "format=csv")).json as unknown as string;
    expect(all.trimEnd().split("\r\n")).toHaveLength(7);
  });

  it("is for the org's admins only", async () => {
    const o = await orgWithHistory();
    const writer = await get(o.writerToken, o.orgName);
    expect([writer.status, writer.json.error?.code]).toEqual([403, "forbidden"]);
    const csv = await get(o.writerToken, o.orgName, "format=csv");
    expect(csv.status).toBe(403);
    const other = await orgAccount(db, "team", 1, 1);
    const stranger = await get(await tokenFor(other.memberIds[0]!), o.orgName);
    expect([stranger.status, stranger.json.error?.code]).toEqual([403, "not_org_member"]);
    expect((await get(o.adminToken, "no-such-org-anywhere")).status).toBe(404);
    // The other org's log shows nothing of this one.
    expect(rowsOf(await get(await tokenFor(other.memberIds[0]!), other.orgName))).toEqual([]);
  });
});
