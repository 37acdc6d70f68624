import { expect, test } from "@playwright/test";
import { createUser } from "@/lib/accounts/users";
import { collectThresholdCharges } from "@/lib/ledger/collect-threshold-charges";
import { formatPeriod, nextPeriod, periodStart, previousPeriod } from "@/lib/kernel/period";
import { settleUsage, type UsageInput } from "@/lib/ledger/settle";
import { createLocalProcessor } from "@/lib/payments/local-processor";
import { addCard } from "@/lib/ledger/payment-methods";
import { admin, spawnAdmin } from "./admin-cli";
import { ownDatabase, waitFor, withDb, type OwnDatabase } from "./fault-harness";

// The month-end close (`npm run admin -- close-month`) over many accounts, SIGKILLed once while
// it writes the invoices and once while it charges them, then run to the end, and once more.
// Every account with usage gets exactly one invoice, whose totals are the month's raw usage
// rounded by the invoice rule, and is charged exactly once (or refused once, for a card that
// declines): nothing doubled, nothing left pending.
const ACCOUNTS = 160;
const DECLINING = "4000000000000341"; // saves, but every charge is declined

/** Accounts with usage last month: PRO users with a card (every tenth declines), some with a $1 threshold. */
function seedLastMonth(db: OwnDatabase, month: Date) {
  const processor = createLocalProcessor();
  return withDb(db.url, async (prisma) => {
    const account = async (i: number): Promise<UsageInput[]> => {
      const user = await createUser(prisma, { email: `close-${i}@example.com`, plan: "pro" });
      const accountId = user.billingAccount!.id;
      const number = i % 10 === 9 ? DECLINING : "4242424242424242";
      await addCard(prisma, processor, {
        accountId,
        card: { kind: "number", number, expMonth: 12, expYear: 2099, cvc: "123" },
      });
      if (i % 6 === 0)
        await prisma.billingAccount.update({ where: { id: accountId }, data: { thresholdCents: 100 } });
      const usage = (n: number, providerId: string, day: number): UsageInput => ({
        id: `close-${i}-${n}`,
        accountId,
        userId: user.id,
        providerId,
        modelId: "meta-llama/Llama-3.3-70B-Instruct",
        mode: "routed",
        inputTokens: 300_000 + (i % 40) * 70_000,
        outputTokens: 50_000 + (i % 7) * 31_111,
        computeMs: 0,
        occurredAt: new Date(month.getTime() + day * 86_400_000 + i * 1_000),
      });
      return [
        usage(1, "together", 2),
        usage(2, "together", 11),
        ...(i % 3 === 0 ? [usage(3, "groq", 20)] : []),
      ];
    };
    const events: UsageInput[] = [];
    for (let i = 0; i < ACCOUNTS; i += 8) {
      const chunk = Array.from({ length: Math.min(8, ACCOUNTS - i) }, (_, k) => account(i + k));
      events.push(...(await Promise.all(chunk)).flat());
    }
    await settleUsage(prisma, events);
    await collectThresholdCharges(prisma, processor); // the threshold payments, prepaid on the invoices
  });
}

test("month-end close killed halfway, twice, then re-run: one invoice per account, charged once, totals equal usage", async () => {
  test.setTimeout(180_000);
  const db = await ownDatabase();
  const env = { DATABASE_URL: db.url };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  try {
    const month = previousPeriod(periodStart(new Date()));
    const label = formatPeriod(month);
    await seedLastMonth(db, month);
    expect(await count(`SELECT count(*)::text AS n FROM threshold_charges`)).toBeGreaterThan(0);

    /** Runs close-month and SIGKILLs it once `partway` holds; fails if it finished first. */
    const killCloseWhen = async (what: string, partway: () => Promise<boolean>) => {
      const close = spawnAdmin(env, "close-month", label);
      let finished = false;
      const exited = new Promise<void>((r) => close.once("exit", () => r()));
      void exited.then(() => (finished = true));
      await waitFor(what, async () => finished || (await partway()), 60_000);
      expect(finished, `close-month finished before it could be killed ${what}`).toBe(false);
      close.kill("SIGKILL");
      await exited;
    };
    const invoices = () => count(`SELECT count(*)::text AS n FROM invoices WHERE kind = 'usage'`);
    const charges = () => count(`SELECT count(*)::text AS n FROM payments WHERE kind = 'invoice_charge'`);

    await killCloseWhen("while it writes the invoices", async () => (await invoices()) >= ACCOUNTS / 3);
    expect(await invoices()).toBeLessThan(ACCOUNTS);
    expect(await charges()).toBe(0);
    // Each invoice is written whole (one transaction): none without its lines.
    expect(
      await count(`SELECT count(*)::text AS n FROM invoices i
                   WHERE NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)`),
    ).toBe(0);

    await killCloseWhen("while it charges them", async () => (await charges()) >= 20);
    expect(await invoices()).toBe(ACCOUNTS);
    const payable = await count(`SELECT count(*)::text AS n FROM invoices WHERE amount_due_cents > 0`);
    expect(payable).toBeGreaterThan(ACCOUNTS / 2);
    expect(await charges()).toBeLessThan(payable);

    const finished = await admin(env, "close-month", label);
    expect(finished).toMatchObject({ period: label, invoicesCreated: 0 });
    expect(await admin(env, "close-month", label)).toEqual({
      period: label,
      invoicesCreated: 0,
      charged: 0,
      failed: 0,
    });

    // Exactly one invoice per account with usage, none for anyone else.
    const perAccount = await db.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM invoices WHERE kind = 'usage' AND period_start = $1::date GROUP BY account_id`,
      [month.toISOString().slice(0, 10)],
    );
    expect(perAccount.rows).toHaveLength(ACCOUNTS);
    expect(perAccount.rows.every((r) => r.n === "1")).toBe(true);

    // Totals from the raw events: each provider/model line rounded half up to the cent; what is
    // owed (due + prepaid) is the month's pay-as-you-go rounded once; prepaid is the threshold
    // payments that succeeded; the lines add up to the amount due.
    const wrong = await db.pool.query(
      `WITH lines AS (
         SELECT account_id, (sum(cost_nano)::bigint + 5000000) / 10000000 AS cents FROM usage_events
         WHERE mode = 'routed' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY account_id, provider_id, model_id
       ), expected AS (
         SELECT l.account_id, sum(l.cents)::bigint AS subtotal,
                (SELECT (sum(e.payg_nano)::bigint + 5000000) / 10000000 FROM usage_events e
                 WHERE e.account_id = l.account_id AND e.occurred_at >= $1 AND e.occurred_at < $2) AS owed,
                (SELECT coalesce(sum(p.amount_cents), 0) FROM threshold_charges t JOIN payments p ON p.id = t.payment_id
                 WHERE t.account_id = l.account_id AND p.status = 'succeeded') AS prepaid
         FROM lines l GROUP BY l.account_id
       )
       SELECT i.number, i.subtotal_cents, i.credits_cents, i.prepaid_cents, i.amount_due_cents, e.*
       FROM invoices i JOIN expected e ON e.account_id = i.account_id
       WHERE i.subtotal_cents <> e.subtotal OR i.amount_due_cents + i.prepaid_cents <> e.owed
          OR i.prepaid_cents <> e.prepaid
          OR i.amount_due_cents <> (SELECT sum(amount_cents) FROM invoice_lines WHERE invoice_id = i.id)`,
      [month, nextPeriod(month)],
    );
    expect(wrong.rows).toEqual([]);

    // Charged exactly once: one month-end payment per invoice with something due, for that
    // amount, succeeded (paid) or declined (failed) as its card does; none pending; nothing
    // charged for an invoice that owes nothing.
    const payments = await db.pool.query<{
      number: string;
      status: string;
      due: number;
      declining: boolean;
      attempts: { status: string; amount: number }[] | null;
    }>(
      `SELECT i.number, i.status::text, i.amount_due_cents AS due,
              (SELECT m.last4 = $1 FROM payment_methods m WHERE m.account_id = i.account_id AND m.is_default) AS declining,
              (SELECT json_agg(json_build_object('status', p.status, 'amount', p.amount_cents))
               FROM payments p WHERE p.invoice_id = i.id) AS attempts
       FROM invoices i WHERE i.kind = 'usage'`,
      [DECLINING.slice(-4)],
    );
    const unexpected = payments.rows.filter((r) => {
      if (r.due === 0) return r.status !== "paid" || r.attempts !== null;
      const outcome = r.declining ? "failed" : "succeeded";
      return (
        r.status !== (r.declining ? "failed" : "paid") ||
        JSON.stringify(r.attempts) !== JSON.stringify([{ status: outcome, amount: r.due }])
      );
    });
    expect(unexpected).toEqual([]);
    expect(payments.rows.filter((r) => r.due > 0 && r.declining).length).toBeGreaterThan(0);
  } finally {
    await db.close();
  }
});
