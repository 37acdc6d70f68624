import fs from "node:fs";
import path from "node:path";
import { getDMMF } from "@/lib/testing/dmmf";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * schema.prisma (what the Prisma client believes) and the migrated database (what the SQL
 * migrations built) must agree: every model's table, every scalar field's column with its type
 * and nullability, every enum with its values. A drift between the two fails here.
 */
const schema = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
const dmmf = getDMMF(schema);

/** information_schema's data_type (or udt_name) for a Prisma scalar, honouring @db.* native types. */
function expectedType(field: { type: string; kind: string; nativeType?: [string, string[]] | null }): string {
  if (field.kind === "enum") return `USER-DEFINED:${field.type}`;
  const native = field.nativeType?.[0];
  if (native === "Uuid") return "uuid";
  if (native === "Date") return "date";
  if (native === "VarChar") return "character varying";
  if (native === "SmallInt") return "smallint";
  const byScalar: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Boolean: "boolean",
    DateTime: "timestamp with time zone",
    Json: "jsonb",
    Bytes: "bytea",
  };
  const type = byScalar[field.type];
  if (!type) throw new Error(`No mapping for Prisma type ${field.type}`);
  return type;
}

/** PostgreSQL's internal name of an array's element type (udt_name is "_" + this). */
const ARRAY_ELEMENT_UDT: Record<string, string> = {
  text: "text",
  integer: "int4",
  bigint: "int8",
  uuid: "uuid",
};

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
}

let columns: Map<string, Column>;
let enums: Map<string, string[]>;

beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const cols = await client.query<Column>(
    // Partitions (usage_events_2026_11, ...) are their parent's storage, not tables of their own.
    `SELECT table_name, column_name, data_type, udt_name, is_nullable FROM information_schema.columns c
     WHERE table_schema = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = c.table_name AND p.relispartition)`,
  );
  columns = new Map(cols.rows.map((c) => [`${c.table_name}.${c.column_name}`, c]));
  const e = await client.query<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`,
  );
  enums = new Map();
  for (const row of e.rows) enums.set(row.name, [...(enums.get(row.name) ?? []), row.value]);
  await client.end();
});

describe("schema.prisma and the migrated database", () => {
  it("covers the whole data model of DESIGN.md", () => {
    const names = dmmf.datamodel.models.map((m) => m.name);
    for (const model of [
      "BillingAccount",
      "User",
      "Organization",
      "Membership",
      "Provider",
      "Price",
      "ProviderKey",
      "DisabledProvider",
      "ApiToken",
      "UsageEvent",
      "UsageDaily",
      "AccountPeriod",
      "Reservation",
      "ThresholdCharge",
      "Invoice",
      "InvoiceLine",
      "Payment",
      "PaymentMethod",
      "Subscription",
      "StorageUsage",
      "AuditLog",
    ]) {
      expect(names).toContain(model);
    }
  });

  for (const model of dmmf.datamodel.models) {
    it(`${model.name}: every field is a column of the right type and nullability`, () => {
      const table = model.dbName ?? model.name;
      for (const field of model.fields.filter((f) => f.kind === "scalar" || f.kind === "enum")) {
        const key = `${table}.${field.dbName ?? field.name}`;
        const column = columns.get(key);
        expect(column, `${key} is missing from the database`).toBeDefined();
        const actual =
          column!.data_type === "USER-DEFINED" ? `USER-DEFINED:${column!.udt_name}` : column!.data_type;
        const expected = field.isList ? "ARRAY" : expectedType(field);
        expect(actual, `${key} type`).toBe(expected);
        if (field.isList)
          expect(column!.udt_name, `${key} element type`).toBe(`_${ARRAY_ELEMENT_UDT[expectedType(field)]}`);
        // A list is NOT NULL in the database (an empty array, never null).
        expect(column!.is_nullable, `${key} nullability`).toBe(
          field.isRequired || field.isList ? "NO" : "YES",
        );
      }
    });
  }

  it("has every enum with exactly the schema's values, in order", () => {
    for (const e of dmmf.datamodel.enums) {
      expect(enums.get(e.dbName ?? e.name), e.name).toEqual(e.values.map((v) => v.dbName ?? v.name));
    }
  });

  it("has no table the schema does not know, besides the runner's own", () => {
    const modelTables = new Set(dmmf.datamodel.models.map((m) => m.dbName ?? m.name));
    const tables = new Set([...columns.values()].map((c) => c.table_name));
    expect([...tables].filter((t) => !modelTables.has(t))).toEqual(["_migrations"]);
  });
});
