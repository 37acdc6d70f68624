import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The table groups of docs/scaling.md, section 4. A new table must join one of them here.
const COLOCATED = [
  "account_periods",
  "alert_deliveries",
  "alert_webhooks",
  "alerts",
  "reservations",
  "usage_daily",
  "usage_events",
];
const BY_ID = ["usage_event_ids"];
const REFERENCE = [
  "allowed_models",
  "billing_accounts",
  "disabled_providers",
  "hardware_prices",
  "memberships",
  "models",
  "organizations",
  "plan_prices",
  "prices",
  "provider_models",
  "providers",
  "user_disabled_providers",
  "users",
];
const COORDINATOR = [
  "_migrations",
  "api_tokens",
  "audit_log",
  "billing_clock",
  "invoice_lines",
  "invoices",
  "local_processor_entries",
  "oauth_identities",
  "payment_methods",
  "payments",
  "provider_keys",
  "rate_limits",
  "sessions",
  "storage_usage",
  "subscriptions",
  "threshold_charges",
  "token_holds",
  "token_windows",
];

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
beforeAll(() => client.connect());
afterAll(() => client.end());

/** Primary keys and unique constraints/indexes of a table, as column lists. */
async function uniqueKeys(table: string): Promise<string[][]> {
  const { rows } = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns
     FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = $1::regclass AND i.indisunique
     GROUP BY i.indexrelid`,
    [table],
  );
  return rows.map((r) => r.columns);
}

describe("the schema follows docs/scaling.md", () => {
  it("puts every table in exactly one group", async () => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    const grouped = [...COLOCATED, ...BY_ID, ...REFERENCE, ...COORDINATOR];
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(rows.map((r) => r.name).filter((t) => !grouped.includes(t))).toEqual([]);
  });

  it("partitions usage_events by month of occurred_at, one partition per UTC month", async () => {
    const { rows } = await client.query<{ key: string; name: string; bound: string }>(
      `SELECT pg_get_partkeydef('usage_events'::regclass) AS key, c.relname AS name,
              pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'usage_events'::regclass ORDER BY 2`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows) {
      expect(r.key).toBe("RANGE (occurred_at)");
      const [, y, m] = /^usage_events_(\d{4})_(\d{2})$/.exec(r.name)!;
      const next = new Date(Date.UTC(Number(y), Number(m), 1)).toISOString().slice(0, 7);
      expect(r.bound).toBe(`FOR VALUES FROM ('${y}-${m}-01 00:00:00+00') TO ('${next}-01 00:00:00+00')`);
    }
  });

  it("keys every unique constraint of the co-located tables by account_id", async () => {
    for (const table of COLOCATED) {
      const keys = await uniqueKeys(table);
      expect(keys.length, table).toBeGreaterThan(0);
      for (const key of keys) expect(key, `${table} (${key.join(", ")})`).toContain("account_id");
    }
    expect(await uniqueKeys("usage_events")).toEqual([["account_id", "occurred_at", "id"]]);
  });

  it("keeps request ids unique on their own, in the table distributed by id", async () => {
    expect(await uniqueKeys("usage_event_ids")).toEqual([["id"]]);
  });

  it("lets the co-located tables reference reference tables, or each other through account_id", async () => {
    const { rows } = await client.query<{ source: string; target: string; columns: string[] }>(
      `SELECT conrelid::regclass::text AS source, confrelid::regclass::text AS target,
              ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey))::text[] AS columns
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) AND conparentid = 0`,
      [[...COLOCATED, ...BY_ID]],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const colocated =
        COLOCATED.includes(r.source) && COLOCATED.includes(r.target) && r.columns.includes("account_id");
      expect(colocated || REFERENCE.includes(r.target), `${r.source} -> ${r.target}`).toBe(true);
    }
  });

  it("lets reference tables reference only reference tables", async () => {
    const { rows } = await client.query<{ source: string; target: string }>(
      `SELECT conrelid::regclass::text AS source, confrelid::regclass::text AS target
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1)`,
      [REFERENCE],
    );
    for (const r of rows) expect(REFERENCE, `${r.source} -> ${r.target}`).toContain(r.target);
  });
});
