import { describe, expect, it } from "vitest";
import { arrayLiteral, raw, sql } from "./sql";

describe("sql", () => {
  it("numbers placeholders and passes BigInt as exact decimal strings, also in arrays", () => {
    const q = sql`SELECT ${1n} + ${[2n, 12345678901234567890n]}::bigint[], ${"x"}`;
    expect(q.text).toBe("SELECT $1 + $2::bigint[], $3");
    expect(q.values).toEqual(["1", "{2,12345678901234567890}", "x"]);
  });

  it("splices raw() text without a placeholder, and names each distinct text once", () => {
    const a = sql`ON CONFLICT ${raw("DO NOTHING")} WHERE x = ${5}`;
    const b = sql`ON CONFLICT ${raw("DO UPDATE SET y = 1")} WHERE x = ${5}`;
    expect(a.text).toBe("ON CONFLICT DO NOTHING WHERE x = $1");
    expect(a.values).toEqual([5]);
    expect(a.name).not.toBe(b.name);
    expect(sql`ON CONFLICT ${raw("DO NOTHING")} WHERE x = ${6}`.name).toBe(a.name);
  });

  it("builds one call site's text per raw() variant, and its values on every call", () => {
    const q = (variant: string, v: number) => sql`SELECT ${raw(variant)} FROM t WHERE x = ${v}`;
    const [a, b, again] = [q("a", 1), q("b", 2), q("a", 3)];
    expect([a.text, b.text]).toEqual(["SELECT a FROM t WHERE x = $1", "SELECT b FROM t WHERE x = $1"]);
    expect(again).toEqual({ name: a.name, text: a.text, values: [3] });
    expect(b.name).not.toBe(a.name);
  });

  it("writes arrays as PostgreSQL array literals: strings quoted and escaped, dates as UTC ISO", () => {
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral(['a "b"', "c\\d", "", "NULL", "x,y{}", null, undefined])).toBe(
      '{"a \\"b\\"","c\\\\d","","NULL","x,y{}",NULL,NULL}',
    );
    expect(arrayLiteral([1, -2.5, 3n, true, new Date(Date.UTC(2026, 10, 1, 12, 30))])).toBe(
      "{1,-2.5,3,true,2026-11-01T12:30:00.000Z}",
    );
  });

  it("leaves arrays of anything else to node-postgres", () => {
    expect(sql`SELECT ${[{ a: 1 }, [2n]]}`.values).toEqual([[{ a: 1 }, ["2"]]]);
    expect(sql`SELECT ${[[1n, 2n]]}::bigint[][]`.values).toEqual([[["1", "2"]]]);
  });
});
