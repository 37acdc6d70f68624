import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { poolOf } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { testDb } from "@/lib/testing/db";
import { ALERT_LEVELS_TEXT, alertLevelsReached } from "./levels";
import { alertLevelReachedSql, alertLevelsSql } from "./levels-sql";

const db = testDb();
afterAll(() => db.$disconnect());

it("property: the levels reached in SQL and in TypeScript agree on every input", async () => {
  // Near the levels (small caps) and across the counters' range (up to 2^53 nano-dollars).
  const amount = fc.oneof(
    fc.bigInt({ min: -5n, max: 205n }),
    fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
  );
  const pair = fc.record({ used: amount, cap: fc.option(amount, { nil: null }) });
  await fc.assert(
    fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 200 }), async (cases) => {
      const { rows } = await poolOf(db).query<{ levels: number[] }>(sql`
        SELECT ARRAY(SELECT lv.level FROM ${alertLevelsSql}
                     WHERE ${alertLevelReachedSql({ used: "v.used", cap: "v.cap", level: "lv.level" })}
                     ORDER BY lv.level) AS levels
        FROM unnest(${cases.map((c) => c.used)}::bigint[], ${cases.map((c) => c.cap)}::bigint[])
          WITH ORDINALITY AS v(used, cap, n)
        ORDER BY v.n`);
      expect(rows.map((r) => r.levels)).toEqual(cases.map((c) => alertLevelsReached(c.used, c.cap)));
    }),
    { numRuns: 100 },
  );
});

it("fires at half, four fifths and all of the cap", () => {
  expect(alertLevelsReached(49n, 100n)).toEqual([]);
  expect(alertLevelsReached(50n, 100n)).toEqual([50]);
  expect(alertLevelsReached(80n, 100n)).toEqual([50, 80]);
  expect(alertLevelsReached(101n, 100n)).toEqual([50, 80, 100]);
  expect(alertLevelsReached(5n, 0n)).toEqual([]);
  expect(ALERT_LEVELS_TEXT).toBe("50%, 80% and 100%");
});
