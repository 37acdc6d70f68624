import { createHash } from "node:crypto";
import type pg from "pg";

/** SQL text spliced into a `sql` template as is: for fixed variants of a statement, never for values. */
export class RawSql {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new RawSql(text);

/**
 * A parameterised query from a template, for node-postgres: `sql\`... ${value} ...\`` becomes
 * `$1` placeholders and values (BigInt as exact decimal strings, arrays as array literals); a `raw()`
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

/** Inside an array node-postgres serializes (nested arrays, objects), arrays stay arrays. */
function toPg(v: unknown, nested = false): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v))
    return !nested && v.every(isScalar) ? arrayLiteral(v) : v.map((x: unknown) => toPg(x, true));
  return v;
}

type Scalar = string | number | bigint | boolean | Date | null | undefined;
function isScalar(v: unknown): v is Scalar {
  const type = typeof v;
  return (
    v === null ||
    type === "undefined" ||
    type === "string" ||
    type === "number" ||
    type === "bigint" ||
    type === "boolean" ||
    v instanceof Date
  );
}

/**
 * A one-dimensional array as PostgreSQL's array literal text, built here rather than by
 * node-postgres, whose generic path (a type dispatch, a regex and quotes per element, dates
 * formatted in local time) costs microseconds per element: a settlement sends 14 arrays of up
 * to 1,000. Only strings need quoting; dates go as UTC ISO 8601 (the same instant).
 */
export function arrayLiteral(values: readonly Scalar[]): string {
  return `{${values.map(arrayElement).join(",")}}`;
}

function arrayElement(v: Scalar): string {
  if (v === null || v === undefined) return "NULL";
  // Most strings hold neither character: two scans cost less than a regex replace.
  if (typeof v === "string")
    return v.includes('"') || v.includes("\\") ? `"${v.replace(/[\\"]/g, "\\$&")}"` : `"${v}"`;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}
