import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import type { KeyRing } from "@/lib/keys/crypto";
import { providerKeyPlaintext } from "@/lib/keys/provider-keys";
import { admitPayer, payerQuery } from "@/lib/ledger/authorize";
import type { CallerContext, Payer } from "@/lib/ledger/payer";
import { periodStart } from "@/lib/kernel/period";
import { releaseReservation } from "@/lib/ledger/reserve";
import { refusalError, settleUsage, type SettleResult } from "@/lib/ledger/settle";
import { holdTokenBudget, releaseTokenHold, settleTokenHold } from "@/lib/ledger/token-budget";
import type { PeriodRow } from "@/lib/ledger/settle-statements";
import { routerCatalog, type RouterCatalog } from "./catalog";
import type { CallerGuesses } from "./caller-guesses";
import { afterSettlement, type SettlementQueue } from "./settlements";
import type { AdmissionQueue } from "./admissions";
import { parseModelRef } from "./model-ref";
import { maxTokensOf, promptTokenBound, type ChatCompletionRequest } from "./request";
import { chooseProvider, policyFor, type Candidate } from "./select-provider";
import { routeFor, type Route, type UpstreamsConfig } from "./upstreams-config";
import { UpstreamError, usageClasses, type UpstreamRequest, type UpstreamUsage } from "./upstream";
import { billingReport, type BillingReport } from "./billing-report";
import type { ThroughputWindow } from "./throughput";

export interface RouterDeps {
  db: Db;
  ring: KeyRing;
  upstreams: UpstreamsConfig;
  production: boolean;
  /** How long a provider may take; also bounds the hold of compute-priced requests. */
  timeoutMs: number;
  /** How long a hold lasts if the request is never settled (see ROUTER_HOLD_TTL_MS). */
  holdTtlMs: number;
  /** The caller contexts last seen, to choose a provider before the one admission statement. */
  callers: CallerGuesses;
  /** Admissions of requests, looked up together under load. */
  admissions: AdmissionQueue;
  /** Settlements of held requests, written together under load. */
  settlements: SettlementQueue;
  /** The router's own timings of each provider, for `:fastest`. */
  throughput: ThroughputWindow;
}

export interface ChatCall {
  /** The stored hash of the access token the caller sent (checked when the request is admitted). */
  tokenHash: string;
  /** X-HF-Bill-To, or null to bill the caller. */
  billTo: string | null;
  request: ChatCompletionRequest;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
}

/** Where a request goes: decided from a caller context, before anything is held. */
interface Plan {
  now: Date;
  offer: Candidate;
  mode: "routed" | "custom_key";
  route: Route;
}

/** A request that passed every check and holds its upper bound, ready to go upstream. */
export interface Dispatch {
  id: string;
  call: ChatCall;
  /** The user the access token acts for. */
  userId: string;
  /** The access token, which the usage event is attributed to. */
  tokenId: string | null;
  /** Whether the request holds on its token's limit too (settle or release it with the request). */
  tokenHeld: boolean;
  offer: Candidate;
  mode: "routed" | "custom_key";
  payer: Payer;
  reservationId: string | null;
  /** The month as the hold found it (see settleHeld). */
  month: PeriodRow | null;
  now: Date;
  route: Route;
  upstream: UpstreamRequest;
  catalog: RouterCatalog;
}

/** How many times a request is admitted again when the caller's settings change meanwhile. */
const ADMISSION_ATTEMPTS = 3;

/**
 * Everything before the provider is called: the model and provider, who pays and whether they
 * allow it, the credential (the platform's or the caller's own key, never both, never the
 * caller's access token), and, for routed requests, the hold on the payer's month.
 *
 * One statement in the common case, shared with the requests admitted at the same moment
 * (deps.admissions): the provider is chosen from the caller's context as last seen
 * (deps.callers), and the statement authenticates the token, reads the context afresh, checks
 * the payer and places the hold. If the fresh context would choose differently (the caller
 * changed their settings since), the hold goes back and the request is admitted again from the
 * fresh context, so no decision ever rests on a stale read.
 */
export async function dispatch(deps: RouterDeps, call: ChatCall): Promise<Dispatch> {
  const { db } = deps;
  const catalog = await routerCatalog(db);
  const started = Date.now();
  // One reading of the timings per request, so that deciding twice (guess, then fresh) cannot
  // differ only because another request finished in between.
  const { modelId } = parseModelRef(call.request.model);
  const speeds = deps.throughput.snapshot(
    modelId,
    (catalog.offers.get(modelId) ?? []).map((o) => o.providerId),
    started,
  );
  const key = `${call.tokenHash}|${call.billTo ?? ""}`;
  let context = deps.callers.get(key);
  let guessed = context !== undefined;
  for (let attempt = 1; ; attempt++) {
    context ??= await lookUpCaller(deps, call);
    let plan: Plan;
    try {
      plan = planRequest(deps, catalog, context, call.request, started, speeds);
    } catch (e) {
      if (!guessed) throw e;
      [context, guessed] = [undefined, false]; // refused on a guess: decide again from a fresh read
      continue;
    }
    const id = randomUUID();
    const terms = {
      billTo: call.billTo,
      providerId: plan.offer.providerId,
      modelId: plan.offer.modelId,
      billingIntegrated: plan.offer.billingIntegrated,
      mode: plan.mode,
      requestId: id,
      maxCostNano: plan.offer.maxCostNano,
      now: plan.now,
      holdTtlMs: deps.holdTtlMs,
      commit: "async" as const,
    };
    // The token's own limit first (lib/ledger/token-budget.ts): its hold goes back with the request's.
    // Only a token known to have a limit pays the statement; the admission reads it afresh below.
    const billable = plan.mode === "routed" && plan.offer.billingIntegrated;
    let tokenHeld = false;
    try {
      if (billable && context.tokenLimited)
        tokenHeld = await holdTokenBudget(
          db,
          {
            tokenHash: call.tokenHash,
            billTo: call.billTo,
            requestId: id,
            amountNano: plan.offer.maxCostNano,
            now: plan.now,
            expiresAt: new Date(plan.now.getTime() + deps.holdTtlMs),
          },
          "async",
        );
    } catch (e) {
      if (!guessed) throw e;
      [context, guessed] = [undefined, false]; // refused in a window of a guessed clock: decide again from a fresh read
      continue;
    }
    const releaseToken = () => (tokenHeld ? releaseTokenHold(db, id) : undefined);
    const found = await deps.admissions
      .admit(payerQuery(terms, { tokenHash: call.tokenHash }))
      .catch(async (e: unknown) => {
        deps.callers.delete(key); // a revoked token, a membership gone: nothing to guess from
        await releaseToken();
        throw e;
      });
    deps.callers.set(key, found.caller);
    const release = async () => {
      await releaseToken();
      if (found.reservationId) await releaseReservation(db, { accountId: found.accountId, requestId: id });
    };
    let fresh = plan;
    if (!sameContext(context, found.caller)) {
      try {
        fresh = planRequest(deps, catalog, found.caller, call.request, started, speeds);
      } catch (e) {
        await release();
        throw e;
      }
    }
    if (!samePlan(plan, fresh)) {
      await release();
      if (attempt >= ADMISSION_ATTEMPTS) throw settingsInFlux();
      [context, guessed] = [found.caller, false];
      continue;
    }
    if (billable && found.caller.tokenLimited && !tokenHeld) {
      // The token got a limit since its context was last seen: admit again, holding on it.
      await release();
      if (attempt >= ADMISSION_ATTEMPTS) throw settingsInFlux();
      [context, guessed] = [found.caller, false];
      continue;
    }
    const { payer, reservationId, month } = await admitPayer(db, terms, found).catch(async (e: unknown) => {
      await releaseToken();
      throw e;
    });
    return prepareUpstream(deps, {
      id,
      call,
      userId: found.caller.userId,
      tokenId: found.caller.tokenId,
      tokenHeld,
      ...plan,
      payer,
      reservationId,
      month,
      catalog,
    });
  }
}

/** The caller's context when the router has not seen it yet: the same statement, holding nothing. */
async function lookUpCaller(deps: RouterDeps, call: ChatCall): Promise<CallerContext> {
  const found = await deps.admissions.admit({
    caller: { tokenHash: call.tokenHash },
    billTo: call.billTo,
    providerId: "",
    period: periodStart(new Date()),
  });
  return found.caller;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
  a.size === b.size && [...a].every((x) => b.has(x));

/** Whether two reads of a caller's context would decide every request the same way. */
const sameContext = (a: CallerContext, b: CallerContext) =>
  a.offsetMs === b.offsetMs &&
  a.tokenLimited === b.tokenLimited &&
  a.preferences.join("\n") === b.preferences.join("\n") &&
  sameSet(a.withKey, b.withKey) &&
  sameSet(a.disabled, b.disabled);

const samePlan = (a: Plan, b: Plan) =>
  a.offer.providerId === b.offer.providerId && a.mode === b.mode && a.now.getTime() === b.now.getTime();

const settingsInFlux = () =>
  new AppError(
    503,
    "settings_changed",
    "Your provider settings changed while the request was being routed. Send it again.",
  );

/** The provider, the billing mode and the route, from a caller context. */
function planRequest(
  deps: RouterDeps,
  catalog: RouterCatalog,
  caller: CallerContext,
  request: ChatCompletionRequest,
  started: number,
  speeds: ReadonlyMap<string, number>,
): Plan {
  const now = new Date(started + (deps.production ? 0 : caller.offsetMs));
  const offer = pickOffer(catalog, caller, request, { timeoutMs: deps.timeoutMs, now, speeds });
  const mode = caller.withKey.has(offer.providerId) ? "custom_key" : "routed";
  const route = routeFor(deps.upstreams, offer, { production: deps.production });
  if (mode === "routed" && !route.sandbox && !route.platformKey && offer.billingIntegrated) {
    throw new AppError(
      503,
      "provider_unavailable",
      `${offer.providerId} is not available through the platform right now. Choose another provider, or add your own ${offer.providerId} key in your inference provider settings.`,
      {
        provider: offer.providerId,
      },
    );
  }
  return { now, offer, mode, route };
}

/** The credential and the body for the provider; the hold goes back if that fails. */
async function prepareUpstream(deps: RouterDeps, d: Omit<Dispatch, "upstream">): Promise<Dispatch> {
  const { db } = deps;
  const { call } = d;
  try {
    const apiKey =
      d.mode === "custom_key"
        ? await providerKeyPlaintext(db, deps.ring, { userId: d.userId, providerId: d.offer.providerId })
        : d.route.platformKey;
    if (d.mode === "custom_key" && !apiKey)
      throw new AppError(
        409,
        "provider_key_removed",
        "Your key for this provider was just removed. Send the request again.",
      );
    const { max_completion_tokens: _alias, stream_options: _options, ...rest } = call.request;
    const body: Record<string, unknown> = {
      ...rest,
      model: d.offer.upstreamModel,
      max_tokens: maxTokensOf(call.request),
      ...(call.request.stream
        ? { stream: true, stream_options: { include_usage: true } }
        : { stream: false }),
    };
    return {
      ...d,
      upstream: {
        providerId: d.offer.providerId,
        baseUrl: d.route.baseUrl,
        apiKey: apiKey ?? "",
        body,
        // A stream stops when the caller leaves and is billed for what it produced. A provider
        // answering in one piece cannot say what it had produced when cut off: it is left to
        // finish, and the request is billed at the usage it reports (never $0 for work done).
        signal: call.request.stream
          ? AbortSignal.any([call.signal, AbortSignal.timeout(deps.timeoutMs)])
          : AbortSignal.timeout(deps.timeoutMs),
      },
    };
  } catch (e) {
    if (d.tokenHeld) await releaseTokenHold(db, d.id);
    if (d.reservationId) await releaseReservation(db, { accountId: d.payer.accountId, requestId: d.id });
    throw e;
  }
}

/**
 * The provider a request goes to: the one it names, or the one its policy picks. Each candidate
 * is priced at the request's upper bound (the hold it would need), at the price in force now.
 */
function pickOffer(
  catalog: RouterCatalog,
  caller: CallerContext,
  request: ChatCompletionRequest,
  { timeoutMs, now, speeds }: { timeoutMs: number; now: Date; speeds: ReadonlyMap<string, number> },
): Candidate {
  const { modelId, providerId, policy } = parseModelRef(request.model);
  const offers = catalog.offers.get(modelId);
  if (!offers) {
    throw new AppError(
      404,
      "model_not_found",
      `No provider serves ${modelId}. GET /v1/models lists the models you can use.`,
      {
        model: modelId,
      },
    );
  }
  const task = catalog.tasks.get(modelId);
  if (task !== "conversational") {
    throw new AppError(
      400,
      "task_not_supported",
      `${modelId} is a ${task} model; /v1/chat/completions serves conversational models only. GET /v1/models lists each model's task.`,
      { model: modelId, task },
    );
  }
  const maxTokens = maxTokensOf(request);
  const promptBound = promptTokenBound(request.messages);
  // A request that names its provider prices that one offer only.
  const priced = providerId ? offers.filter((o) => o.providerId === providerId) : offers;
  const candidates: Candidate[] = priced.flatMap((o) => {
    const maxCostNano = catalog.book.rate({
      ...o,
      inputTokens: promptBound,
      outputTokens: maxTokens,
      computeMs: timeoutMs,
      at: now,
    });
    return maxCostNano === null ? [] : [{ ...o, maxCostNano }];
  });
  const preferences = {
    order: caller.preferences,
    disabled: caller.disabled,
    withKey: caller.withKey,
    speeds,
  };
  const offer = providerId
    ? candidates[0]
    : chooseProvider(candidates, policyFor(policy, preferences), preferences);
  if (!offer) {
    throw new AppError(
      404,
      "model_not_found",
      providerId
        ? `${providerId} does not serve ${modelId}. Drop ":${providerId}" to let the router choose, or GET /v1/models for who serves it.`
        : `No provider has a price for ${modelId} right now. GET /v1/models lists the models you can use.`,
      { model: modelId, ...(providerId ? { provider: providerId } : {}) },
    );
  }

  return offer;
}

/** Settles the request at its actual usage (releasing the hold) and reports what it cost. */
export async function settle(
  deps: RouterDeps,
  d: Dispatch,
  usage: UpstreamUsage,
  computeMs: number,
  served: { streamed: boolean; latencyMs: number },
): Promise<BillingReport> {
  const event = {
    id: d.id,
    accountId: d.payer.accountId,
    userId: d.userId,
    providerId: d.offer.providerId,
    modelId: d.offer.modelId,
    mode: d.mode,
    ...usageClasses(usage),
    computeMs: d.offer.pricingUnit === "compute" ? computeMs : 0,
    occurredAt: d.now,
    served,
    tokenId: d.tokenId,
  };
  const book = d.catalog.book;
  let result: SettleResult;
  if (d.reservationId && d.month) {
    result = await deps.settlements.submit({
      item: { event, held: { holdNano: d.offer.maxCostNano, month: d.month } },
      book,
    });
  } else {
    const settled = await settleUsage(deps.db, [event], { book, commit: "async" });
    afterSettlement(deps.db, settled);
    result = settled.results[0]!;
  }
  if (d.tokenHeld) {
    // What the request was billed counts in the window its token hold was placed in.
    const billedNano = result.status === "recorded" ? result.creditsNano + result.paygNano : 0n;
    await settleTokenHold(deps.db, { requestId: d.id, billedNano }, "async");
  }
  if (result.status === "refused") {
    // The hold covered the request, so only a concurrent change of plan, or a hold swept before
    // its request finished (then billed without it, within the limit), gets here.
    throw refusalError(result);
  }
  return billingReport({ providerId: d.offer.providerId, mode: d.mode, orgName: d.payer.orgName }, result);
}

/** The provider failed: nothing to bill, the hold goes back. */
export async function abandon(deps: RouterDeps, d: Dispatch): Promise<void> {
  if (d.tokenHeld) await releaseTokenHold(deps.db, d.id);
  if (d.reservationId) await releaseReservation(deps.db, { accountId: d.payer.accountId, requestId: d.id });
}

export function toAppError(e: unknown): unknown {
  return e instanceof UpstreamError ? new AppError(e.status, e.code, e.message, e.details) : e;
}
