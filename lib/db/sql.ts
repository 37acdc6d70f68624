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
 * plans it once per connection. The text and its name are built once per template and variant
 * (the hot path's statements are long; hashing them on every call showed in profiles).
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): pg.QueryConfig {
  const variant = values.map((v) => (v instanceof RawSql ? v.text : "")).join("\u0000");
  let variants = statements.get(strings);
  if (!variants) statements.set(strings, (variants = new Map()));
  let statement = variants.get(variant);
  if (!statement) {
    let text = strings[0]!;
    let n = 0;
    values.forEach((v, i) => {
      text += v instanceof RawSql ? v.text : `$${++n}`;
      text += strings[i + 1];
    });
    statement = { text, name: `q_${createHash("sha1").update(text).digest("hex").slice(0, 20)}` };
    variants.set(variant, statement);
  }
  const params: unknown[] = [];
  for (const v of values) if (!(v instanceof RawSql)) params.push(toPg(v));
  return { name: statement.name, text: statement.text, values: params };
}

/** Each template's statements, by the raw SQL spliced into it. */
const statements = new WeakMap<TemplateStringsArray, Map<string, { text: string; name: string }>>();

function toPg(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(toPg);
  return v;
}
