import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { poolOf } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { testDb } from "@/lib/testing/db";
import { holdFits, holdFitsSql, type MonthRoom } from "./room";
import { thresholdChargesDue, thresholdChargesDueSql, type ThresholdState } from "./threshold";

// Each rule the fast path evaluates in SQL, run there and in TypeScript on the same random inputs.

const db = testDb();
afterAll(() => db.$disconnect());

// Small amounts hit the edges (equal to the limit, to the credits left); large ones the range of int8.
const amount = fc.oneof(fc.bigInt({ min: -50n, max: 50n }), fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }));
const month = fc.record({
  paygNano: amount,
  reservedNano: amount,
  creditsLeftNano: amount,
  limitNano: fc.option(amount, { nil: null }),
  payAsYouGo: fc.boolean(),
  amountNano: amount,
});

/** holdFitsSql on PostgreSQL, for many inputs in one statement. */
async function inSql(cases: (MonthRoom & { amountNano: bigint })[]): Promise<boolean[]> {
  const col = <T>(f: (c: (typeof cases)[number]) => T) => cases.map(f);
  const { rows } = await poolOf(db).query<{ fits: boolean }>(sql`
    SELECT ${holdFitsSql({
      paygNano: "v.payg",
      reservedNano: "v.reserved",
      creditsLeftNano: "v.credits_left",
      limitNano: "v.limit_nano",
      payAsYouGo: "v.payg_allowed",
      amountNano: "v.amount",
    })} AS fits
    FROM unnest(${col((c) => c.paygNano)}::bigint[], ${col((c) => c.reservedNano)}::bigint[],
                ${col((c) => c.creditsLeftNano)}::bigint[], ${col((c) => c.limitNano)}::bigint[],
                ${col((c) => c.payAsYouGo)}::boolean[], ${col((c) => c.amountNano)}::bigint[])
      WITH ORDINALITY AS v(payg, reserved, credits_left, limit_nano, payg_allowed, amount, n)
    ORDER BY v.n`);
  return rows.map((r) => r.fits);
}

it("property: the hold rule in SQL and in TypeScript agree on every input", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(month, { minLength: 1, maxLength: 300 }), async (cases) => {
      expect(await inSql(cases)).toEqual(cases.map((c) => holdFits(c, c.amountNano)));
    }),
    { numRuns: 100 },
  );
}, 60_000);

/** thresholdChargesDueSql on PostgreSQL, for many inputs in one statement. */
async function dueInSql(cases: ThresholdState[]): Promise<bigint[]> {
  const col = <T>(f: (c: ThresholdState) => T) => cases.map(f);
  const { rows } = await poolOf(db).query<{ due: string }>(sql`
    SELECT (${thresholdChargesDueSql({ paygNano: "v.payg", chargedNano: "v.charged", thresholdCents: "v.threshold" })})::text AS due
    FROM unnest(${col((c) => c.paygNano)}::bigint[], ${col((c) => c.chargedNano)}::bigint[],
                ${col((c) => c.thresholdCents)}::int[])
      WITH ORDINALITY AS v(payg, charged, threshold, n)
    ORDER BY v.n`);
  return rows.map((r) => BigInt(r.due));
}

it("property: the threshold charges due in SQL and in TypeScript agree on every input", async () => {
  // Counters up to 2^53 nano-dollars (9 million dollars), thresholds from a cent to the int4 column's top.
  const counter = fc.oneof(
    fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
    fc.bigInt({ min: 0n, max: 2n ** 53n }),
  );
  const state = fc.record({
    paygNano: counter,
    chargedNano: counter,
    thresholdCents: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(state, { minLength: 1, maxLength: 300 }), async (cases) => {
      expect(await dueInSql(cases)).toEqual(cases.map((c) => BigInt(thresholdChargesDue(c))));
    }),
    { numRuns: 100 },
  );
}, 60_000);
