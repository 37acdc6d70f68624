import type pg from "pg";
import { isTransactionConflict } from "@/lib/db/errors";
import { poolOf, type Commit, type Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import { loadPriceBook, type PriceBook } from "@/lib/pricing/price-book";
import { ensureUsagePartitions, isMissingPartition } from "@/lib/usage/partitions";
import { allocateCost } from "./credits";
import { periodStart } from "./period";
import {
  correctSplit,
  periodKey,
  prepare,
  write,
  type Amounts,
  type MonthDelta,
  type PeriodRow,
  type Row,
} from "./settle-statements";

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

export type SettleResult =
  | ({ id: string; status: "recorded" | "duplicate" } & Amounts)
  | { id: string; status: "refused"; code: "credits_exhausted" | "provider_not_integrated"; message: string };

/** What a settlement did: each request's outcome, and the threshold charges and alerts it made due. */
export interface Settled {
  results: SettleResult[];
  thresholdChargesCreated: number;
  alertsFired: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export const refusalMessages = {
  credits_exhausted: (resetsOn: string) =>
    `Your monthly credits are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsOn}.`,
  provider_not_integrated: (provider: string) =>
    `${provider} cannot be billed through the platform. Add your own ${provider} key in your inference provider settings to use it.`,
};

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
  opts: {
    /** The catalog slice, when the caller already loaded it (to price the hold, or to validate). */
    book?: PriceBook;
    /** Each event's list-price cost, when the caller already rated them with `book` (ingestion validates by rating). */
    costs?: ReadonlyMap<string, bigint>;
    /**
     * false when no request of the batch was held here (ingestion: an external router enforces
     * its own limits), so no hold is looked up or released: two index probes fewer per event.
     */
    held?: boolean;
    /**
     * "async" (see poolOf): a database crash within a fraction of a second of the commit can
     * lose the settlement, leaving a request unbilled, never billed twice. For the router's own
     * requests, which nobody retries on the strength of our acknowledgment. Ingestion keeps
     * "sync": its acknowledgment tells the sender not to send the batch again.
     */
    commit?: Commit;
  } = {},
): Promise<Settled> {
  if (events.length === 0) return { results: [], thresholdChargesCreated: 0, alertsFired: 0 };
  const book = opts.book ?? (await loadPriceBook(db, events));
  const costs = new Map<string, bigint>();
  for (const e of events) {
    const cost = opts.costs?.get(e.id) ?? book.rate({ ...e, at: e.occurredAt });
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

  // A request id stored by a concurrent transaction after this one's snapshot makes the insert
  // fall short (usage_id_conflict); nothing was written, and the retry sees it as a duplicate.
  // A snapshot of the months gone stale before they were locked: settle again, locked first.
  // A deadlock with some other writer (settlements lock in one order) rolled it all back: again.
  let lock = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const settled = await settleOnce(db, events, book, costs, {
        commit: opts.commit ?? "sync",
        lock,
        held: opts.held ?? true,
      });
      if (settled) return settled;
      lock = true;
    } catch (e) {
      if (attempt >= 3) throw e;
      // A month with no partition yet (an old event, or a billing clock moved far): create it, retry.
      if (isMissingPartition(e))
        await ensureUsagePartitions(
          poolOf(db),
          events.map((e) => e.occurredAt),
        );
      else if (!(e instanceof AppError && e.code === "usage_id_conflict") && !isTransactionConflict(e))
        throw e;
    }
  }
}

/** One attempt in one transaction; null when the months' snapshot went stale (rolled back). */
async function settleOnce(
  db: Db,
  events: UsageInput[],
  book: PriceBook,
  costs: ReadonlyMap<string, bigint>,
  opts: { commit: Commit; lock: boolean; held: boolean },
) {
  const client = await poolOf(db, opts.commit).connect();
  try {
    await client.query("BEGIN");
    const settled = await settleIn(client, events, book, costs, opts);
    await client.query(settled ? "COMMIT" : "ROLLBACK");
    return settled;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function settleIn(
  client: pg.PoolClient,
  events: UsageInput[],
  book: PriceBook,
  costs: ReadonlyMap<string, bigint>,
  opts: { lock: boolean; held: boolean },
) {
  const prepared = await prepare(client, events, opts);
  if (!prepared) return null;
  const heldIds = opts.held ? events.map((e) => e.id) : [];
  let allocated = allocate(events, book, costs, prepared);
  let written = await write(client, allocated.rows, allocated.months, { atomic: false, heldIds });
  if (!written.fresh) {
    // Concurrent batches used some of these months' credits since the snapshot. The events are
    // stored and the months locked: allocate again from the months as they are now, and correct
    // the split of the few events it moves, rather than store the whole batch again.
    if (!written.locked) return null; // the statement failed: the caller rolls back and retries
    const now = new Map(
      [...prepared.periods].map(([key, p]) => [key, { ...p, ...written.locked!.get(key)! }]),
    );
    const again = allocate(events, book, costs, { ...prepared, periods: now });
    // A request refused one way and recorded the other: rare (a Free account's last credits), and
    // the stored events would need more than a correction. Settle again, locked first.
    if (!sameIds(allocated.rows, again.rows)) return null;
    await correctSplit(client, allocated.rows, again.rows);
    allocated = again;
    written = await write(client, again.rows, again.months, { atomic: false, heldIds, stored: true });
    if (!written.fresh) throw new Error("A locked month changed under its lock.");
  }
  return {
    results: events.map((e) => allocated.results.get(e.id)!),
    thresholdChargesCreated: written.charges,
    alertsFired: written.alerts,
  };
}

const sameIds = (a: Row[], b: Row[]) => a.length === b.length && a.every((r, i) => r.id === b[i]!.id);

/**
 * The billing rules over a batch, from a snapshot of its months: in the order the requests ran,
 * each is a duplicate (stored before), refused, or recorded with its credits and pay-as-you-go;
 * a request with a hold is never billed more than the hold. Also what the batch does to each
 * month, for write() to apply and check against the months as they are when locked.
 */
function allocate(
  events: UsageInput[],
  book: PriceBook,
  costs: ReadonlyMap<string, bigint>,
  snapshot: { periods: Map<string, PeriodRow>; holds: Map<string, bigint>; existing: Map<string, Amounts> },
) {
  const { periods, holds, existing } = snapshot;
  const before = new Map([...periods].map(([k, p]) => [k, { ...p }]));
  const demand = new Map<string, bigint>();
  const results = new Map<string, SettleResult>();
  const rows: Row[] = [];
  // Credits go to requests in the order they ran.
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const e of ordered) {
    if (results.has(e.id)) continue; // the same id twice in a batch counts once
    const stored = existing.get(e.id);
    if (stored) {
      results.set(e.id, { id: e.id, status: "duplicate", ...stored });
      continue;
    }
    const key = periodKey(e.accountId, e.occurredAt);
    const period = periods.get(key)!;
    const hold = holds.get(e.id);
    const rated = costs.get(e.id)!;
    const costNano = hold !== undefined && rated > hold ? hold : rated;
    const served = book.served(e.providerId, e.modelId)!;
    if (e.mode === "routed" && served.billingIntegrated) demand.set(key, (demand.get(key) ?? 0n) + costNano);
    const allocation = allocateCost({
      costNano,
      mode: e.mode,
      billingIntegrated: served.billingIntegrated,
      creditsLeftNano: period.creditsIncludedNano - period.creditsUsedNano,
      payAsYouGo: period.payAsYouGo,
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
    // Fields listed, not spread: a spread followed by more fields builds a slow object (about
    // 2 µs here), and write() then reads 14 fields of every row.
    rows.push({
      id: e.id,
      accountId: e.accountId,
      userId: e.userId,
      providerId: e.providerId,
      modelId: e.modelId,
      mode: e.mode,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      computeMs: e.computeMs,
      occurredAt: e.occurredAt,
      costNano,
      creditsNano: allocation.creditsNano,
      paygNano: allocation.paygNano,
      hardware: served.hardware,
    });
    results.set(e.id, { id: e.id, status: "recorded", ...amounts });
  }

  const months: MonthDelta[] = [...periods].map(([key, p]) => {
    const then = before.get(key)!;
    return {
      accountId: p.accountId,
      period: p.period,
      creditsLeftNano: then.creditsIncludedNano - then.creditsUsedNano,
      demandNano: demand.get(key) ?? 0n,
      creditsNano: p.creditsUsedNano - then.creditsUsedNano,
      paygNano: p.paygNano - then.paygNano,
      thresholdCents: p.thresholdCents,
    };
  });
  return { results, rows, months };
}

/** A request to settle against the hold placed for it, and the month as that hold found it. */
export interface HeldSettlement {
  event: UsageInput;
  held: { holdNano: bigint; month: PeriodRow };
}

/**
 * Settles requests against the holds placed for them, from the snapshots of their months taken
 * when the holds were placed: one statement, no transaction to open (the router's common case,
 * one request or a handful settled together). When a snapshot no longer holds (another request
 * crossed the credits' end meanwhile), an id was stored already, or a request ran in another
 * month than its hold, it writes nothing and settles them the usual way. Results in `items`'
 * order.
 */
export async function settleHeld(
  db: Db,
  items: HeldSettlement[],
  opts: { book: PriceBook; commit?: Commit },
): Promise<Settled> {
  const events = items.map((i) => i.event);
  const costs = new Map<string, bigint>();
  const periods = new Map<string, PeriodRow>();
  let direct = true;
  for (const { event, held } of items) {
    const cost = opts.book.rate({ ...event, at: event.occurredAt });
    if (cost === null || periodStart(event.occurredAt).getTime() !== held.month.period.getTime()) {
      direct = false;
      break;
    }
    costs.set(event.id, cost);
    // Of several snapshots of one month, the latest (credits only ever get used up) is the likeliest still true.
    const key = periodKey(event.accountId, held.month.period);
    const seen = periods.get(key);
    if (!seen || held.month.creditsUsedNano > seen.creditsUsedNano) periods.set(key, { ...held.month });
  }
  if (direct) {
    const { results, rows, months } = allocate(events, opts.book, costs, {
      periods,
      holds: new Map(items.map((i) => [i.event.id, i.held.holdNano])),
      existing: new Map(),
    });
    try {
      const { fresh, charges, alerts } = await write(poolOf(db, opts.commit), rows, months, {
        atomic: true,
        heldIds: events.map((e) => e.id),
      });
      if (fresh)
        return {
          results: events.map((e) => results.get(e.id)!),
          thresholdChargesCreated: charges,
          alertsFired: alerts,
        };
    } catch (e) {
      const retry =
        (e instanceof AppError && e.code === "usage_id_conflict") ||
        isMissingPartition(e) ||
        isTransactionConflict(e);
      if (!retry) throw e;
    }
  }
  return settleUsage(db, events, opts);
}
