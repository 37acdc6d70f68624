import { createHash } from "node:crypto";
import type pg from "pg";

/** SQL text spliced into a `sql` template as is: for fixed variants of a statement, never for values. */
export class RawSql {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new RawSql(text);

/**
 * A parameterised query from a template, for node-postgres: `sql\`... ${value} ...\`` becomes
 * `$1` placeholders and values (BigInt as exact decimal strings, also inside arrays); a `raw()`
 * value is spliced as SQL text. Each distinct text is a named prepared statement, so PostgreSQL
 * plans it once per connection.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): pg.QueryConfig {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof RawSql) text += v.text;
    else {
      params.push(toPg(v));
      text += `$${params.length}`;
    }
    text += strings[i + 1];
  });
  return {
    name: `q_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`,
    text,
    values: params,
  };
}

function toPg(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(toPg);
  return v;
}
