import type { Db, DbTx } from "@/lib/db/prisma";
import { AppError, conflict } from "@/lib/http/errors";
import { NANO_PER_CENT } from "@/lib/money/units";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { planInForce } from "@/lib/pricing/plans";
import { allocateCost, includedCreditsNano } from "./credits";
import { periodStart } from "./period";
import { thresholdChargesDue } from "./threshold";

export interface UsageInput {
  /** The request id: settling the same id twice counts it once, forever. */
  id: string;
  accountId: string;
  /** Who made the request (the member, for org accounts). */
  userId: string;
  providerId: string;
  modelId: string;
  mode: "routed" | "custom_key";
  inputTokens: number;
  outputTokens: number;
  computeMs: number;
  occurredAt: Date;
}

type Amounts = { costNano: bigint; creditsNano: bigint; paygNano: bigint };
export type SettleResult =
  | ({ id: string; status: "recorded" | "duplicate" } & Amounts)
  | { id: string; status: "refused"; code: "credits_exhausted" | "provider_not_integrated"; message: string };

const day = (d: Date) => d.toISOString().slice(0, 10);
const periodKey = (accountId: string, period: Date) => `${accountId}|${day(period)}`;

export const refusalMessages = {
  credits_exhausted: (resetsOn: string) =>
    `Your monthly credits are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsOn}.`,
  provider_not_integrated: (provider: string) =>
    `${provider} cannot be billed through the platform. Add your own ${provider} key in your inference provider settings to use it.`,
};

interface PeriodRow {
  accountId: string;
  period: Date;
  creditsIncludedNano: bigint;
  creditsUsedNano: bigint;
  paygNano: bigint;
  reservedNano: bigint;
  thresholdChargedNano: bigint;
}

/**
 * Settles a batch of requests in one transaction, set-based so a batch of 1,000 costs a handful
 * of statements: rate each at the price in force when it ran; lock the months it touches (in a
 * fixed order, so concurrent batches never deadlock); release the holds placed for them; apply
 * credits, then pay-as-you-go, or refuse (Free credits used up, provider not billable); store
 * the events (an id already stored is a duplicate, never counted again); add them to the daily
 * rollup; update the month counters; and create the threshold charges that became due.
 * A request settled against a hold is never billed more than the hold.
 */
export async function settleUsage(
  db: Db,
  events: UsageInput[],
): Promise<{ results: SettleResult[]; thresholdChargesCreated: number }> {
  if (events.length === 0) return { results: [], thresholdChargesCreated: 0 };
  const book = await loadPriceBook(db, events);
  const costs = new Map<string, bigint>();
  for (const e of events) {
    const cost = book.rate({ ...e, at: e.occurredAt });
    if (cost === null) {
      throw new AppError(
        404,
        "price_not_found",
        `No price for ${e.modelId} on ${e.providerId} was in force at ${e.occurredAt.toISOString()}.`,
        {
          id: e.id,
          provider: e.providerId,
          model: e.modelId,
        },
      );
    }
    costs.set(e.id, cost);
  }

  return db.$transaction(
    async (tx) => {
      const periods = await lockPeriods(tx, events);
      const ids = [...new Set(events.map((e) => e.id))];
      const existing = new Map(
        (
          await tx.$queryRaw<({ id: string } & Amounts)[]>`
            SELECT id, cost_nano AS "costNano", credits_nano AS "creditsNano", payg_nano AS "paygNano"
            FROM usage_events WHERE id = ANY(${ids}::text[])`
        ).map((r) => [r.id, r]),
      );
      const holds = new Map(
        (
          await tx.$queryRaw<{ requestId: string; accountId: string; period: Date; amountNano: bigint }[]>`
            DELETE FROM reservations WHERE request_id = ANY(${ids}::text[])
            RETURNING request_id AS "requestId", account_id AS "accountId", period, amount_nano AS "amountNano"`
        ).map((h) => [h.requestId, h]),
      );
      const released = new Map<string, bigint>();
      for (const h of holds.values()) {
        const key = periodKey(h.accountId, h.period);
        released.set(key, (released.get(key) ?? 0n) + h.amountNano);
      }

      const accounts = new Map(
        (
          await tx.billingAccount.findMany({
            where: { id: { in: [...new Set(events.map((e) => e.accountId))] } },
            select: { id: true, plan: true, thresholdCents: true },
          })
        ).map((a) => [a.id, a]),
      );
      const payAsYouGo = new Map<string, boolean>();
      for (const p of periods.values()) {
        const plan = accounts.get(p.accountId)!.plan;
        const key = `${plan}|${day(p.period)}`;
        if (!payAsYouGo.has(key)) payAsYouGo.set(key, (await planInForce(tx, plan, p.period)).payAsYouGo);
      }

      const results = new Map<string, SettleResult>();
      const rows: (UsageInput & Amounts & { hardware: string | null })[] = [];
      // Credits go to requests in the order they ran.
      const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      for (const e of ordered) {
        if (results.has(e.id)) continue; // the same id twice in a batch counts once
        const stored = existing.get(e.id);
        if (stored) {
          results.set(e.id, { ...stored, status: "duplicate" });
          continue;
        }
        const account = accounts.get(e.accountId)!;
        const period = periods.get(periodKey(e.accountId, periodStart(e.occurredAt)))!;
        const hold = holds.get(e.id);
        const rated = costs.get(e.id)!;
        const costNano = hold && rated > hold.amountNano ? hold.amountNano : rated;
        const allocation = allocateCost({
          costNano,
          mode: e.mode,
          billingIntegrated: book.served(e.providerId, e.modelId)!.billingIntegrated,
          creditsLeftNano: period.creditsIncludedNano - period.creditsUsedNano,
          payAsYouGo: payAsYouGo.get(`${account.plan}|${day(period.period)}`)!,
        });
        if (!allocation.ok) {
          const resetsOn = day(
            new Date(Date.UTC(period.period.getUTCFullYear(), period.period.getUTCMonth() + 1, 1)),
          );
          results.set(e.id, {
            id: e.id,
            status: "refused",
            code: allocation.code,
            message:
              allocation.code === "credits_exhausted"
                ? refusalMessages.credits_exhausted(resetsOn)
                : refusalMessages.provider_not_integrated(e.providerId),
          });
          continue;
        }
        period.creditsUsedNano += allocation.creditsNano;
        period.paygNano += allocation.paygNano;
        const amounts = { costNano, creditsNano: allocation.creditsNano, paygNano: allocation.paygNano };
        rows.push({ ...e, ...amounts, hardware: book.served(e.providerId, e.modelId)!.hardware });
        results.set(e.id, { id: e.id, status: "recorded", ...amounts });
      }

      await insertEvents(tx, rows);
      await addToRollups(tx, rows);
      const thresholdChargesCreated = await updateCounters(tx, periods, released, accounts);
      return { results: events.map((e) => results.get(e.id)!), thresholdChargesCreated };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** Creates the month rows the batch touches (with the month's included credits) and locks them, in key order. */
async function lockPeriods(tx: DbTx, events: UsageInput[]): Promise<Map<string, PeriodRow>> {
  const wanted = new Map<string, { accountId: string; period: Date }>();
  for (const e of events) {
    const period = periodStart(e.occurredAt);
    wanted.set(periodKey(e.accountId, period), { accountId: e.accountId, period });
  }
  const keys = [...wanted.keys()].sort();
  const accountIds = keys.map((k) => wanted.get(k)!.accountId);
  const days = keys.map((k) => day(wanted.get(k)!.period));

  const missing = await tx.$queryRaw<
    { accountId: string; period: Date; plan: "free" | "pro" | "team" | "enterprise"; seats: number }[]
  >`
    SELECT w.account_id AS "accountId", w.period, a.plan, a.seats
    FROM unnest(${accountIds}::uuid[], ${days}::date[]) AS w(account_id, period)
    JOIN billing_accounts a ON a.id = w.account_id
    WHERE NOT EXISTS (SELECT 1 FROM account_periods p WHERE p.account_id = w.account_id AND p.period = w.period)
    ORDER BY 1, 2`;
  for (const m of missing) {
    const included = includedCreditsNano(await planInForce(tx, m.plan, m.period), m.seats);
    await tx.$executeRaw`
      INSERT INTO account_periods (account_id, period, credits_included_nano)
      VALUES (${m.accountId}::uuid, ${day(m.period)}::date, ${included})
      ON CONFLICT (account_id, period) DO NOTHING`;
  }
  const rows = await tx.$queryRaw<PeriodRow[]>`
    SELECT p.account_id AS "accountId", p.period, p.credits_included_nano AS "creditsIncludedNano",
           p.credits_used_nano AS "creditsUsedNano", p.payg_nano AS "paygNano", p.reserved_nano AS "reservedNano",
           p.threshold_charged_nano AS "thresholdChargedNano"
    FROM account_periods p
    JOIN unnest(${accountIds}::uuid[], ${days}::date[]) AS w(account_id, period)
      ON p.account_id = w.account_id AND p.period = w.period
    ORDER BY p.account_id, p.period
    FOR UPDATE OF p`;
  return new Map(rows.map((r) => [periodKey(r.accountId, r.period), r]));
}

async function insertEvents(tx: DbTx, rows: (UsageInput & Amounts & { hardware: string | null })[]) {
  if (rows.length === 0) return;
  const inserted = await tx.$executeRaw`
    INSERT INTO usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens,
                              compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at)
    SELECT * FROM unnest(
      ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.accountId)}::uuid[], ${rows.map((r) => r.userId)}::uuid[],
      ${rows.map((r) => r.providerId)}::text[], ${rows.map((r) => r.modelId)}::text[],
      ${rows.map((r) => r.mode)}::"BillingMode"[], ${rows.map((r) => r.inputTokens)}::int[],
      ${rows.map((r) => r.outputTokens)}::int[], ${rows.map((r) => r.computeMs)}::int[],
      ${rows.map((r) => r.hardware)}::text[], ${rows.map((r) => r.costNano)}::bigint[],
      ${rows.map((r) => r.creditsNano)}::bigint[], ${rows.map((r) => r.paygNano)}::bigint[],
      ${rows.map((r) => r.occurredAt)}::timestamptz[])
    ON CONFLICT (id) DO NOTHING`;
  if (inserted !== rows.length) {
    // An id taken by another account's request in a concurrent batch: nothing is written; retrying resolves it.
    throw conflict(
      "usage_id_conflict",
      "Some request ids were recorded concurrently for another account. Retry the batch.",
    );
  }
}

async function addToRollups(tx: DbTx, rows: (UsageInput & Amounts)[]) {
  if (rows.length === 0) return;
  const groups = new Map<
    string,
    {
      r: UsageInput;
      day: string;
      n: number;
      i: number;
      o: number;
      c: number;
      cost: bigint;
      credits: bigint;
      payg: bigint;
    }
  >();
  for (const r of rows) {
    const d = day(r.occurredAt);
    const key = [r.accountId, d, r.providerId, r.modelId, r.mode, r.userId].join("|");
    const g = groups.get(key) ?? { r, day: d, n: 0, i: 0, o: 0, c: 0, cost: 0n, credits: 0n, payg: 0n };
    g.n += 1;
    g.i += r.inputTokens;
    g.o += r.outputTokens;
    g.c += r.computeMs;
    g.cost += r.costNano;
    g.credits += r.creditsNano;
    g.payg += r.paygNano;
    groups.set(key, g);
  }
  // Key order, so concurrent batches take the rollup rows' locks in the same order.
  const g = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  await tx.$executeRaw`
    INSERT INTO usage_daily AS d (account_id, day, provider_id, model_id, mode, user_id, requests, input_tokens,
                                  output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
    SELECT * FROM unnest(
      ${g.map((x) => x.r.accountId)}::uuid[], ${g.map((x) => x.day)}::date[], ${g.map((x) => x.r.providerId)}::text[],
      ${g.map((x) => x.r.modelId)}::text[], ${g.map((x) => x.r.mode)}::"BillingMode"[], ${g.map((x) => x.r.userId)}::uuid[],
      ${g.map((x) => x.n)}::int[], ${g.map((x) => BigInt(x.i))}::bigint[], ${g.map((x) => BigInt(x.o))}::bigint[],
      ${g.map((x) => BigInt(x.c))}::bigint[], ${g.map((x) => x.cost)}::bigint[], ${g.map((x) => x.credits)}::bigint[],
      ${g.map((x) => x.payg)}::bigint[])
    ON CONFLICT (account_id, day, provider_id, model_id, mode, user_id) DO UPDATE SET
      requests = d.requests + EXCLUDED.requests,
      input_tokens = d.input_tokens + EXCLUDED.input_tokens,
      output_tokens = d.output_tokens + EXCLUDED.output_tokens,
      compute_ms = d.compute_ms + EXCLUDED.compute_ms,
      cost_nano = d.cost_nano + EXCLUDED.cost_nano,
      credits_nano = d.credits_nano + EXCLUDED.credits_nano,
      payg_nano = d.payg_nano + EXCLUDED.payg_nano`;
}

/** Writes the locked months' new counters and the threshold charges they made due; returns how many. */
async function updateCounters(
  tx: DbTx,
  periods: Map<string, PeriodRow>,
  released: Map<string, bigint>,
  accounts: Map<string, { thresholdCents: number }>,
): Promise<number> {
  const list = [...periods.entries()];
  const charges: { accountId: string; period: Date; count: number; amountCents: number }[] = [];
  for (const [, p] of list) {
    const thresholdCents = accounts.get(p.accountId)!.thresholdCents;
    const due = thresholdChargesDue({
      paygNano: p.paygNano,
      chargedNano: p.thresholdChargedNano,
      thresholdCents,
    });
    if (due > 0) {
      p.thresholdChargedNano += BigInt(due * thresholdCents) * NANO_PER_CENT;
      charges.push({ accountId: p.accountId, period: p.period, count: due, amountCents: thresholdCents });
    }
  }
  await tx.$executeRaw`
    UPDATE account_periods p SET
      credits_used_nano = v.credits, payg_nano = v.payg, threshold_charged_nano = v.charged,
      reserved_nano = GREATEST(0, p.reserved_nano - v.released), updated_at = now()
    FROM unnest(${list.map(([, p]) => p.accountId)}::uuid[], ${list.map(([, p]) => day(p.period))}::date[],
                ${list.map(([, p]) => p.creditsUsedNano)}::bigint[], ${list.map(([, p]) => p.paygNano)}::bigint[],
                ${list.map(([, p]) => p.thresholdChargedNano)}::bigint[], ${list.map(([k]) => released.get(k) ?? 0n)}::bigint[])
      AS v(account_id, period, credits, payg, charged, released)
    WHERE p.account_id = v.account_id AND p.period = v.period`;
  let created = 0;
  for (const c of charges) {
    // seq makes each charge exactly-once: (account, month, seq) is unique.
    const made = await tx.thresholdCharge.count({ where: { accountId: c.accountId, period: c.period } });
    await tx.thresholdCharge.createMany({
      data: Array.from({ length: c.count }, (_, i) => ({
        accountId: c.accountId,
        period: c.period,
        seq: made + i + 1,
        amountCents: c.amountCents,
      })),
    });
    created += c.count;
  }
  return created;
}
