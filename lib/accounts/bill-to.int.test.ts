import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { poolOf } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { testDb } from "@/lib/testing/db";
import { orgBillableSql, orgBillingRefusal } from "./bill-to";
import { ORG_ROLES } from "./roles";

const db = testDb();
afterAll(() => db.$disconnect());

const PLANS = ["free", "pro", "team", "enterprise"] as const;

it("property: billing an org is allowed in SQL exactly when the TypeScript rule finds no refusal", async () => {
  const org = fc.record({
    plan: fc.constantFrom(...PLANS),
    memberRole: fc.option(fc.constantFrom(...ORG_ROLES), { nil: null }),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(org, { minLength: 1, maxLength: 50 }), async (cases) => {
      // The database's own enum types, as the router's statement reads them.
      const { rows } = await poolOf(db).query<{ ok: boolean }>(sql`
        SELECT ${orgBillableSql({ plan: "v.plan::text", memberRole: "v.role" })} AS ok
        FROM unnest(${cases.map((c) => c.plan)}::"Plan"[], ${cases.map((c) => c.memberRole)}::"OrgRole"[])
          WITH ORDINALITY AS v(plan, role, n)
        ORDER BY v.n`);
      expect(rows.map((r) => r.ok)).toEqual(
        cases.map((c) => orgBillingRefusal({ name: "acme", ...c }) === null),
      );
    }),
    { numRuns: 50 },
  );
});

it("refuses a non-member before the plan, and a Free org with its own code", () => {
  expect(orgBillingRefusal({ name: "acme", plan: "free", memberRole: null })?.code).toBe("not_org_member");
  expect(orgBillingRefusal({ name: "acme", plan: "free", memberRole: "admin" })?.code).toBe(
    "org_plan_required",
  );
  expect(orgBillingRefusal({ name: "acme", plan: "team", memberRole: "read" })).toBeNull();
});
