type JsonSchema = { [key: string]: unknown };

/** One field of a request or response body, as the API reference lists it. */
export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

const asSchema = (v: unknown): JsonSchema => (v && typeof v === "object" ? (v as JsonSchema) : {});
const variants = (s: JsonSchema) => ((s.anyOf ?? s.oneOf ?? []) as unknown[]).map(asSchema);

/** A short type label: `string (uuid)`, `"a" | "b"`, `integer | null`, `object[]`. */
export function typeLabel(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const options = variants(s);
  if (options.length) return [...new Set(options.map(typeLabel))].join(" | ");
  if (s.type === "array") return `${typeLabel(asSchema(s.items))}[]`;
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (typeof s.type === "string") return typeof s.format === "string" ? `${s.type} (${s.format})` : s.type;
  return "any";
}

/** The bounds a reader needs (length, range, items, default), in a few words. */
function constraints(s: JsonSchema): string {
  const parts: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    if (min !== undefined && max !== undefined) parts.push(`${unit}${min}–${max}`);
    else if (min !== undefined) parts.push(`${unit}≥ ${min}`);
    else if (max !== undefined) parts.push(`${unit}≤ ${max}`);
  };
  range(s.minLength, s.maxLength, "length ");
  range(s.minimum, s.maximum, "");
  range(s.minItems, s.maxItems, "items ");
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join("; ");
}

/** The object a property holds, if any (directly, as array items, or as the non-null branch). */
function nestedObject(s: JsonSchema): { schema: JsonSchema; suffix: string } | null {
  if (s.type === "object" && s.properties) return { schema: s, suffix: "." };
  if (s.type === "array" && asSchema(s.items).properties) return { schema: asSchema(s.items), suffix: "[]." };
  const nonNull = variants(s).filter((v) => v.type !== "null");
  return nonNull.length === 1 ? nestedObject(nonNull[0]!) : null;
}

/**
 * The fields of a JSON Schema object, nested ones with dotted names (`choices[].message.role`).
 * A union of objects lists each option's fields under `(option N)`.
 */
export function schemaFields(schema: JsonSchema, prefix = ""): FieldRow[] {
  const options = variants(schema).filter((v) => v.properties);
  if (!schema.properties && options.length > 1)
    return options.flatMap((o, i) => schemaFields(o, `${prefix}(option ${i + 1}) `));
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, raw]) => {
    const s = asSchema(raw);
    const notes = [typeof s.description === "string" ? s.description : "", constraints(s)].filter(Boolean);
    const row: FieldRow = {
      name: prefix + name,
      type: typeLabel(s),
      required: required.has(name),
      description: notes.join(" "),
    };
    const nested = nestedObject(s);
    return nested ? [row, ...schemaFields(nested.schema, `${prefix}${name}${nested.suffix}`)] : [row];
  });
}
