import { createHash } from "node:crypto";
import type pg from "pg";

/**
 * A parameterised query from a template, for node-postgres: `sql\`... ${value} ...\`` becomes
 * `$1` placeholders and values (BigInt as exact decimal strings, also inside arrays). Each
 * distinct text is a named prepared statement, so PostgreSQL plans it once per connection.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): pg.QueryConfig {
  let text = strings[0]!;
  values.forEach((_, i) => (text += `$${i + 1}${strings[i + 1]}`));
  return {
    name: `q_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`,
    text,
    values: values.map(toPg),
  };
}

function toPg(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(toPg);
  return v;
}
