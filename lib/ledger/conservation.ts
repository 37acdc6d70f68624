import { Prisma } from "@/lib/db/generated/client";
import type { DbOrTx } from "@/lib/db/prisma";

export interface ConservationReport {
  ok: boolean;
  /** What the local processor says it captured, in cents. */
  capturedCents: number;
  /** What billing says it charged: paid invoices' charges plus threshold charges, in cents. */
  chargedCents: number;
  problems: string[];
}

/**
 * Money conservation between billing and the local processor's own books, for the whole
 * database: per account, captured = paid invoices' charges + threshold charges, exactly. Each
 * capture has its succeeded payment (same key, same amount); each succeeded charge has its
 * capture and the invoice or threshold charge it pays; a paid invoice was charged once, for its
 * amount due; every card-check hold was released. Meaningful with the local processor only
 * (with Stripe, Stripe's own reports are the other side). `accountIds` limits it to some
 * accounts (tests share a database with others). Run at the end of the e2e suite and of
 * `npm run load`, and by `npm run admin -- check-money`.
 */
export async function checkConservation(
  db: DbOrTx,
  opts: { accountIds?: string[] } = {},
): Promise<ConservationReport> {
  // The accounts checked (all by default), and their customers at the processor.
  const scope = Prisma.sql`WITH scope AS (
      SELECT id, processor_customer_ref AS customer_ref FROM billing_accounts
      WHERE ${opts.accountIds ? Prisma.sql`id = ANY(${opts.accountIds}::uuid[])` : Prisma.sql`true`}),
    e AS (SELECT * FROM local_processor_entries WHERE customer_ref IN (SELECT customer_ref FROM scope)),
    p AS (SELECT * FROM payments WHERE account_id IN (SELECT id FROM scope)),
    i AS (SELECT * FROM invoices WHERE account_id IN (SELECT id FROM scope))`;
  const problems = await db.$queryRaw<{ problem: string }[]>`${scope}
    SELECT 'capture ' || e.idempotency_key || ' of ' || e.amount_cents || ' cents has no succeeded payment for it' AS problem
    FROM e
    LEFT JOIN p ON p.idempotency_key = e.idempotency_key AND p.status = 'succeeded'
      AND p.amount_cents = e.amount_cents
    WHERE e.kind = 'charge' AND p.id IS NULL
    UNION ALL
    SELECT 'payment ' || p.idempotency_key || ' succeeded without a capture by the processor'
    FROM p
    JOIN payment_methods m ON m.id = p.payment_method_id AND m.processor = 'local'
    LEFT JOIN e ON e.idempotency_key = p.idempotency_key AND e.kind = 'charge'
    WHERE p.status = 'succeeded' AND p.kind IN ('invoice_charge', 'threshold_charge') AND e.idempotency_key IS NULL
    UNION ALL
    SELECT 'invoice ' || i.number || ' has a charge of ' || p.amount_cents || ' cents but is ' || i.status::text
           || ' with ' || i.amount_due_cents || ' cents due'
    FROM p JOIN i ON i.id = p.invoice_id
    WHERE p.kind = 'invoice_charge' AND p.status = 'succeeded'
      AND (i.status <> 'paid' OR p.amount_cents <> i.amount_due_cents)
    UNION ALL
    SELECT 'payment ' || p.idempotency_key || ' is an invoice charge without its invoice'
    FROM p WHERE p.kind = 'invoice_charge' AND p.status = 'succeeded' AND p.invoice_id IS NULL
    UNION ALL
    SELECT 'invoice ' || i.number || ' is paid with ' || i.amount_due_cents || ' cents due, charged '
           || count(p.id) || ' times'
    FROM i
    LEFT JOIN p ON p.invoice_id = i.id AND p.kind = 'invoice_charge' AND p.status = 'succeeded'
    WHERE i.status = 'paid' AND i.amount_due_cents > 0
    GROUP BY i.id, i.number, i.amount_due_cents HAVING count(p.id) <> 1
    UNION ALL
    SELECT 'threshold payment ' || p.idempotency_key || ' succeeded without its threshold charge'
    FROM p LEFT JOIN threshold_charges t ON t.payment_id = p.id AND t.amount_cents = p.amount_cents
    WHERE p.kind = 'threshold_charge' AND p.status = 'succeeded' AND t.id IS NULL
    UNION ALL
    SELECT 'hold ' || h.ref || ' of ' || h.amount_cents || ' cents was never released'
    FROM e h
    LEFT JOIN e r ON r.kind = 'release' AND r.ref = h.ref
    WHERE h.kind = 'hold' AND r.ref IS NULL
    ORDER BY 1`;
  const [totals] = await db.$queryRaw<{ captured: bigint; charged: bigint }[]>`${scope}
    SELECT (SELECT coalesce(sum(amount_cents), 0) FROM e WHERE kind = 'charge')::bigint AS captured,
           (SELECT coalesce(sum(p.amount_cents), 0) FROM p
             JOIN payment_methods m ON m.id = p.payment_method_id AND m.processor = 'local'
             WHERE p.status = 'succeeded' AND p.kind IN ('invoice_charge', 'threshold_charge'))::bigint AS charged`;
  const capturedCents = Number(totals!.captured);
  const chargedCents = Number(totals!.charged);
  const all = problems.map((p) => p.problem);
  if (capturedCents !== chargedCents)
    all.push(`the processor captured ${capturedCents} cents, billing charged ${chargedCents}`);
  return { ok: all.length === 0, capturedCents, chargedCents, problems: all };
}
