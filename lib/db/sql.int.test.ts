import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "./sql";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 1 });
afterAll(() => pool.end());

describe("array literals through PostgreSQL", () => {
  it("round-trips strings, numbers, BigInts, NULLs and instants exactly", async () => {
    const texts = ['a "b"', "c\\d", "", "NULL", "x,y{}", " spaced ", "é\n\t", null];
    const big = [0n, -1n, 9223372036854775807n];
    const at = [new Date(Date.UTC(2026, 10, 1, 12, 30, 45, 123)), new Date(Date.UTC(1999, 0, 1))];
    const {
      rows: [row],
    } = await pool.query<{ texts: (string | null)[]; big: string[]; ints: number[]; at: Date[] }>(
      sql`SELECT ${texts}::text[] AS texts, ${big}::bigint[]::text[] AS big, ${[1, -2, 3]}::int[] AS ints,
                 ${at}::timestamptz[] AS at`,
    );
    expect(row!.texts).toEqual(texts);
    expect(row!.big).toEqual(big.map(String));
    expect(row!.ints).toEqual([1, -2, 3]);
    expect(row!.at.map((d) => d.getTime())).toEqual(at.map((d) => d.getTime()));
  });
});
