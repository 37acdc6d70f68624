import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { poolOf } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { testDb } from "@/lib/testing/db";
import { TOKEN_PERMISSIONS, tokenRefusal, type TokenScope } from "./token-scope";
import { tokenAllowsInferenceSql } from "./token-scope-sql";

const db = testDb();
afterAll(() => db.$disconnect());

const NOW = new Date("2026-12-03T12:00:00.000Z");
const ORGS = ["acme", "globex", "initech"];
const scopeAndNeed = fc.record({
  // Around now, to the millisecond: the expiry's edge is where the two could disagree.
  expiresAt: fc.option(
    fc.integer({ min: -3, max: 3 }).map((ms) => new Date(NOW.getTime() + ms)),
    { nil: null },
  ),
  permissions: fc.subarray([...TOKEN_PERMISSIONS], { minLength: 1 }),
  billToAny: fc.boolean(),
  billToOrgs: fc.subarray(ORGS),
  billTo: fc.option(fc.constantFrom(...ORGS), { nil: null }),
});

it("property: the router's SQL and the TypeScript rule agree on what a token may do", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(scopeAndNeed, { minLength: 1, maxLength: 100 }), async (cases) => {
      const col = <T>(f: (c: (typeof cases)[number]) => T) => cases.map(f);
      const { rows } = await poolOf(db).query<{ ok: boolean }>(sql`
        SELECT ${tokenAllowsInferenceSql({
          expiresAt: "v.expires_at",
          permissions: "string_to_array(v.permissions, ',')",
          billToAny: "v.bill_to_any",
          billToOrgs: "string_to_array(v.bill_to_orgs, ',')",
          billTo: "v.bill_to",
          now: `${`'${NOW.toISOString()}'`}::timestamptz`,
        })} AS ok
        FROM unnest(${col((c) => c.expiresAt)}::timestamptz[], ${col((c) => c.permissions.join(","))}::text[],
                    ${col((c) => c.billToAny)}::boolean[], ${col((c) => c.billToOrgs.join(","))}::text[],
                    ${col((c) => c.billTo)}::text[]) WITH ORDINALITY
          AS v(expires_at, permissions, bill_to_any, bill_to_orgs, bill_to, n)
        ORDER BY v.n`);
      expect(rows.map((r) => r.ok)).toEqual(
        cases.map((c) => {
          const scope: TokenScope = c;
          return tokenRefusal(scope, { permission: "inference", billTo: c.billTo, now: NOW }) === null;
        }),
      );
    }),
    { numRuns: 100 },
  );
});

it("refuses in order: expired, then the permission, then the org", () => {
  const scope = { expiresAt: null, permissions: ["read"], billToAny: false, billToOrgs: [] };
  expect(
    tokenRefusal({ ...scope, expiresAt: NOW }, { permission: "inference", billTo: "acme", now: NOW })?.code,
  ).toBe("token_expired");
  expect(tokenRefusal(scope, { permission: "inference", billTo: "acme", now: NOW })?.details).toEqual({
    missing: "inference",
  });
  expect(
    tokenRefusal(
      { ...scope, permissions: ["inference"] },
      { permission: "inference", billTo: "acme", now: NOW },
    )?.details,
  ).toEqual({ missing: "bill_to", org: "acme" });
});
