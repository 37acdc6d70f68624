import type pg from "pg";
import { isTransactionConflict } from "@/lib/db/errors";
import { poolOf, type Commit, type Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { holdFits } from "@/lib/ledger/room";
import { formatCents } from "@/lib/money/format";
import { roundNanoToCents } from "@/lib/money/units";
import { loadPriceBook, type PriceBook } from "@/lib/pricing/price-book";
import { tokenClasses } from "@/lib/pricing/rate";
import { ensureUsagePartitions, isMissingPartition } from "@/lib/db/usage-partitions";
import { allocateCost } from "./credits";
import { isoDay, periodStart } from "@/lib/kernel/period";
import {
  correctSplit,
  holdKey,
  periodKey,
  prepare,
  write,
  type Amounts,
  type HoldRef,
  type HoldRow,
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
  /** Of inputTokens, those the provider served from its cache (priced by lib/pricing/rate's rule). */
  cachedInputTokens?: number;
  /** Of outputTokens, those spent reasoning. */
  reasoningTokens?: number;
  computeMs: number;
  occurredAt: Date;
  /** For requests the router served: whether streamed, and from admission to the last byte. */
  served?: { streamed: boolean; latencyMs: number };
  /** The access token that made the request, when the router served it for one. */
  tokenId?: string | null;
  /**
   * The request id of the hold this request settles, when it was not placed under the request's
   * own id (an external router's hold, POST /api/usage/holds).
   */
  holdId?: string;
}

/** Why the month had no room for a request billed without a hold, as the router's 402 says it. */
export interface LimitDetails {
  limit: "spending_limit";
  limitCents: number;
  spentCents: number;
  reservedCents: number;
  resetsAt: string;
}

export type SettleResult =
  | ({ id: string; status: "recorded" | "duplicate" } & Amounts)
  | { id: string; status: "refused"; code: "credits_exhausted" | "provider_not_integrated"; message: string }
  | { id: string; status: "refused"; code: "spending_limit_reached"; message: string; details: LimitDetails };

/** A refused settlement as the API's error: 402 when the credits or the limit have no room, else 403. */
export function refusalError(r: Extract<SettleResult, { status: "refused" }>): AppError {
  if (r.code === "spending_limit_reached") return new AppError(402, r.code, r.message, { ...r.details });
  return new AppError(r.code === "credits_exhausted" ? 402 : 403, r.code, r.message);
}

/** What a settlement did: each request's outcome, and the threshold charges and alerts it made due. */
export interface Settled {
  results: SettleResult[];
  thresholdChargesCreated: number;
  alertsFired: number;
}

export const refusalMessages = {
  credits_exhausted: (resetsOn: string) =>
    `Your monthly credits are used up. Upgrade to PRO for more credits and pay-as-you-go, or add a custom provider key. Credits renew on ${resetsOn}.`,
  provider_not_integrated: (provider: string) =>
    `${provider} cannot be billed through the platform. Add your own ${provider} key in your inference provider settings to use it.`,
  spending_limit_reached: (orgName: string | null, d: Omit<LimitDetails, "limit">) =>
    `${orgName ? `The organization ${orgName}` : "Your account"} has reached its monthly spending limit of ${formatCents(d.limitCents)} (${formatCents(d.spentCents)} spent). ${orgName ? "Ask an org admin to raise the limit" : "Raise the limit"}, or wait until it resets on ${d.resetsAt.slice(0, 10)}.`,
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
  // Likewise a hold settled or swept since (hold_gone): the retry bills that request without it.
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
      else if (!isRetried(e)) throw e;
    }
  }
}

/**
 * Failures a settlement tries again: a request id stored concurrently (the retry sees a
 * duplicate), a hold settled or swept concurrently (the retry bills without it), a deadlock.
 */
const isRetried = (e: unknown) =>
  (e instanceof AppError && (e.code === "usage_id_conflict" || e.code === "hold_gone")) ||
  isTransactionConflict(e);

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
  const holds = holdsOf(events, opts.held);
  const prepared = await prepare(client, events, { lock: opts.lock, holds });
  if (!prepared) return null;
  const release = { holds, expectedHolds: prepared.holds.size };
  let allocated = allocate(events, book, costs, { ...prepared, held: opts.held });
  let written = await write(client, allocated.rows, allocated.months, { atomic: false, ...release });
  if (!written.fresh) {
    // Concurrent batches used some of these months' credits since the snapshot. The events are
    // stored and the months locked: allocate again from the months as they are now, and correct
    // the split of the few events it moves, rather than store the whole batch again.
    if (!written.locked) return null; // the statement failed: the caller rolls back and retries
    const now = new Map(
      [...prepared.periods].map(([key, p]) => [key, { ...p, ...written.locked!.get(key)! }]),
    );
    const again = allocate(events, book, costs, { ...prepared, periods: now, held: opts.held });
    // A request refused one way and recorded the other: rare (a Free account's last credits), and
    // the stored events would need more than a correction. Settle again, locked first.
    if (!sameIds(allocated.rows, again.rows)) return null;
    await correctSplit(client, allocated.rows, again.rows);
    allocated = again;
    written = await write(client, again.rows, again.months, { atomic: false, ...release, stored: true });
    if (!written.fresh) throw new Error("A locked month changed under its lock.");
  }
  return {
    results: events.map((e) => allocated.results.get(e.id)!),
    thresholdChargesCreated: written.charges,
    alertsFired: written.alerts,
  };
}

const sameIds = (a: Row[], b: Row[]) => a.length === b.length && a.every((r, i) => r.id === b[i]!.id);

/** The request id a request's hold was placed under: its own (the router's), or the one it names. */
const holdIdOf = (e: UsageInput, held: boolean) => e.holdId ?? (held ? e.id : undefined);

/** The holds a batch settles, each once. */
function holdsOf(events: UsageInput[], held: boolean): HoldRef[] {
  const refs = new Map<string, HoldRef>();
  for (const e of events) {
    const requestId = holdIdOf(e, held);
    if (requestId !== undefined)
      refs.set(holdKey(e.accountId, requestId), { accountId: e.accountId, requestId });
  }
  return [...refs.values()];
}

/**
 * The billing rules over a batch, from a snapshot of its months: in the order the requests ran,
 * each is a duplicate (stored before), refused, or recorded with its credits and pay-as-you-go.
 * A request with a hold is never billed more than the hold (which fitted when it was placed),
 * and its hold goes back; one without is billed only if it fits the month's room as a hold
 * would (holdFits: the credits, or the spending limit with the holds in flight), else refused.
 * Also what the batch does to each month, for write() to apply and check against the months as
 * they are when locked.
 */
function allocate(
  events: UsageInput[],
  book: PriceBook,
  costs: ReadonlyMap<string, bigint>,
  snapshot: {
    periods: Map<string, PeriodRow>;
    holds: Map<string, HoldRow>;
    existing: Map<string, Amounts>;
    held: boolean;
  },
) {
  const { periods, holds, existing } = snapshot;
  const before = new Map([...periods].map(([k, p]) => [k, { ...p }]));
  const demand = new Map<string, bigint>();
  const unheld = new Set<string>();
  const results = new Map<string, SettleResult>();
  const rows: Row[] = [];
  // Credits go to requests in the order they ran.
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const e of ordered) {
    if (results.has(e.id)) continue; // the same id twice in a batch counts once
    const key = periodKey(e.accountId, e.occurredAt);
    const period = periods.get(key)!;
    const holdId = holdIdOf(e, snapshot.held);
    const hold = holdId === undefined ? undefined : holds.get(holdKey(e.accountId, holdId));
    // Whatever becomes of the request, write() releases its hold: the month's room grows back.
    if (hold && hold.period.getTime() === period.period.getTime()) {
      period.reservedNano =
        period.reservedNano > hold.amountNano ? period.reservedNano - hold.amountNano : 0n;
    }
    const stored = existing.get(e.id);
    if (stored) {
      results.set(e.id, { id: e.id, status: "duplicate", ...stored });
      continue;
    }
    const rated = costs.get(e.id)!;
    const costNano = hold !== undefined && rated > hold.amountNano ? hold.amountNano : rated;
    const served = book.served(e.providerId, e.modelId)!;
    const billed = e.mode === "routed" && served.billingIntegrated;
    if (billed) demand.set(key, (demand.get(key) ?? 0n) + costNano);
    if (billed && hold === undefined) {
      if (!holdFits(roomOf(period), costNano)) {
        results.set(e.id, noRoom(e.id, period));
        continue;
      }
      unheld.add(key);
    }
    const allocation = allocateCost({
      costNano,
      mode: e.mode,
      billingIntegrated: served.billingIntegrated,
      creditsLeftNano: period.creditsIncludedNano - period.creditsUsedNano,
      payAsYouGo: period.payAsYouGo,
    });
    if (!allocation.ok) {
      results.set(e.id, {
        id: e.id,
        status: "refused",
        code: allocation.code,
        message:
          allocation.code === "credits_exhausted"
            ? refusalMessages.credits_exhausted(resetsOn(period))
            : refusalMessages.provider_not_integrated(e.providerId),
      });
      continue;
    }
    period.creditsUsedNano += allocation.creditsNano;
    period.paygNano += allocation.paygNano;
    const amounts = { costNano, creditsNano: allocation.creditsNano, paygNano: allocation.paygNano };
    // Stored as rated (within their totals), so the stored classes re-rate to the stored cost.
    const classes = tokenClasses(e);
    // Fields listed, not spread: a spread followed by more fields builds a slow object (about
    // 2 µs here), and write() then reads 15 fields of every row.
    rows.push({
      id: e.id,
      accountId: e.accountId,
      userId: e.userId,
      providerId: e.providerId,
      modelId: e.modelId,
      mode: e.mode,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      cachedInputTokens: classes.cachedInputTokens,
      reasoningTokens: classes.reasoningTokens,
      computeMs: e.computeMs,
      occurredAt: e.occurredAt,
      served: e.served,
      tokenId: e.tokenId ?? null,
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
      checkRoom: unheld.has(key),
      limitNano: p.limitNano,
      payAsYouGo: p.payAsYouGo,
    };
  });
  return { results, rows, months };
}

const roomOf = (p: PeriodRow) => ({
  paygNano: p.paygNano,
  reservedNano: p.reservedNano,
  creditsLeftNano: p.creditsIncludedNano - p.creditsUsedNano,
  limitNano: p.limitNano,
  payAsYouGo: p.payAsYouGo,
});

const resetsOn = (p: PeriodRow) =>
  isoDay(new Date(Date.UTC(p.period.getUTCFullYear(), p.period.getUTCMonth() + 1, 1)));

/** The refusal of a request the month has no room for: the Free credits, or the spending limit. */
function noRoom(id: string, p: PeriodRow): SettleResult {
  if (!p.payAsYouGo) {
    return {
      id,
      status: "refused",
      code: "credits_exhausted",
      message: refusalMessages.credits_exhausted(resetsOn(p)),
    };
  }
  const details: LimitDetails = {
    limit: "spending_limit",
    limitCents: Number(roundNanoToCents(p.limitNano!)),
    spentCents: Number(roundNanoToCents(p.paygNano)),
    reservedCents: Number(roundNanoToCents(p.reservedNano)),
    resetsAt: `${resetsOn(p)}T00:00:00.000Z`,
  };
  return {
    id,
    status: "refused",
    code: "spending_limit_reached",
    message: refusalMessages.spending_limit_reached(null, details),
    details,
  };
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
 * crossed the credits' end meanwhile), an id was stored already, a hold went (swept), or a
 * request ran in another month than its hold, it writes nothing and settles them the usual way. Results in `items`'
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
    const holds = new Map<string, HoldRow>(
      items.map((i) => [
        holdKey(i.event.accountId, holdIdOf(i.event, true)!),
        { amountNano: i.held.holdNano, period: i.held.month.period },
      ]),
    );
    const { results, rows, months } = allocate(events, opts.book, costs, {
      periods,
      holds,
      existing: new Map(),
      held: true,
    });
    try {
      const { fresh, charges, alerts } = await write(poolOf(db, opts.commit), rows, months, {
        atomic: true,
        holds: holdsOf(events, true),
        expectedHolds: holds.size,
      });
      if (fresh)
        return {
          results: events.map((e) => results.get(e.id)!),
          thresholdChargesCreated: charges,
          alertsFired: alerts,
        };
    } catch (e) {
      const retry = isMissingPartition(e) || isRetried(e);
      if (!retry) throw e;
    }
  }
  return settleUsage(db, events, opts);
}
