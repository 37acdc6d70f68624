import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { CopyLines, copyRows, copyText } from "./copy";

const linesOf = (...lines: string[]) => {
  const copy = new CopyLines();
  for (const line of lines) copy.add(line);
  return copy;
};

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 1 });
afterAll(() => pool.end());

describe("COPY text through PostgreSQL", () => {
  it("round-trips strings with escapes, NULLs, BigInts and instants exactly", async () => {
    // Multi-byte characters, and enough rows that the lines outgrow their first buffer.
    const long = "модель ✓ 模型 🚀".repeat(200);
    const texts = [
      "a\\b",
      "tab\there",
      "line\nbreak\r",
      "\\N",
      "",
      "plain-id:42",
      null,
      ...Array(40).fill(long),
    ];
    const at = new Date(Date.UTC(2026, 10, 1, 12, 30, 45, 123));
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        "CREATE TEMP TABLE copied (n int, t text, big bigint, at timestamptz(3)) ON COMMIT DROP",
      );
      const lines = linesOf(
        ...texts.map(
          (t, n) => `${n}\t${copyText(t)}\t${9223372036854775807n - BigInt(n)}\t${at.toISOString()}\n`,
        ),
      );
      await copyRows(client, "copied", ["n", "t", "big", "at"], lines);
      const { rows } = await client.query<{ t: string | null; big: string; at: Date }>(
        "SELECT t, big::text, at FROM copied ORDER BY n",
      );
      expect(rows.map((r) => r.t)).toEqual(texts);
      expect(rows.map((r) => r.big)).toEqual(texts.map((_, n) => String(9223372036854775807n - BigInt(n))));
      expect(rows.every((r) => r.at.getTime() === at.getTime())).toBe(true);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });

  it("fails the transaction on a bad row, so nothing of it stays", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE copied (n int PRIMARY KEY) ON COMMIT DROP");
      await expect(copyRows(client, "copied", ["n"], linesOf("1\n", "1\n"))).rejects.toMatchObject({
        code: "23505",
      });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });
});
