import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import type { KeyRing } from "@/lib/keys/crypto";
import { providerKeyPlaintext } from "@/lib/keys/provider-keys";
import { authorizeRequest } from "@/lib/limits/authorize";
import type { Payer } from "@/lib/limits/payer";
import { releaseReservation } from "@/lib/limits/reserve";
import { settleHeld, settleUsage } from "@/lib/billing/settle";
import type { PeriodRow } from "@/lib/billing/settle-statements";
import { collectThresholdChargesSoon } from "@/lib/billing/collect-threshold-charges";
import { processAlertsSoon } from "@/lib/alerts/process";
import { routerCatalog, type RouterCatalog } from "./catalog";
import { loadCallerContext, type CallerContext } from "./caller";
import { parseModelRef } from "./model-ref";
import { maxTokensOf, promptTokenBound, type ChatCompletionRequest } from "./request";
import { chooseProvider, type Candidate } from "./select-provider";
import { routeFor, type Route, type UpstreamsConfig } from "./upstreams-config";
import { UpstreamError, type UpstreamRequest, type UpstreamUsage } from "./upstream";
import { billingReport, type BillingReport } from "./billing-report";

export interface RouterDeps {
  db: Db;
  ring: KeyRing;
  upstreams: UpstreamsConfig;
  production: boolean;
  /** How long a provider may take; also bounds the hold of compute-priced requests. */
  timeoutMs: number;
  /** How long a hold lasts if the request is never settled (see ROUTER_HOLD_TTL_MS). */
  holdTtlMs: number;
}

export interface ChatCall {
  userId: string;
  /** X-HF-Bill-To, or null to bill the caller. */
  billTo: string | null;
  request: ChatCompletionRequest;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
}

/** A request that passed every check and holds its upper bound, ready to go upstream. */
export interface Dispatch {
  id: string;
  call: ChatCall;
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

/**
 * Everything before the provider is called: the model and provider, who pays and whether they
 * allow it, the credential (the platform's or the caller's own key, never both, never the
 * caller's access token), and, for routed requests, the hold on the payer's month.
 */
export async function dispatch(deps: RouterDeps, call: ChatCall): Promise<Dispatch> {
  const { db } = deps;
  const [catalog, caller] = await Promise.all([
    routerCatalog(db),
    loadCallerContext(db, { userId: call.userId, billTo: call.billTo, production: deps.production }),
  ]);
  const now = caller.now;
  const offer = pickOffer(catalog, caller, call.request, deps.timeoutMs);

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
  const id = randomUUID();
  const { payer, reservationId, month } = await authorizeRequest(db, {
    userId: call.userId,
    billTo: call.billTo,
    providerId: offer.providerId,
    billingIntegrated: offer.billingIntegrated,
    mode,
    requestId: id,
    maxCostNano: offer.maxCostNano,
    now,
    holdTtlMs: deps.holdTtlMs,
    commit: "async",
  });
  try {
    const apiKey =
      mode === "custom_key"
        ? await providerKeyPlaintext(db, deps.ring, { userId: call.userId, providerId: offer.providerId })
        : route.platformKey;
    if (mode === "custom_key" && !apiKey)
      throw new AppError(
        409,
        "provider_key_removed",
        "Your key for this provider was just removed. Send the request again.",
      );
    const { max_completion_tokens: _alias, stream_options: _options, ...rest } = call.request;
    const body: Record<string, unknown> = {
      ...rest,
      model: offer.upstreamModel,
      max_tokens: maxTokensOf(call.request),
      ...(call.request.stream
        ? { stream: true, stream_options: { include_usage: true } }
        : { stream: false }),
    };
    return {
      id,
      call,
      offer,
      mode,
      payer,
      reservationId,
      month,
      now,
      route,
      catalog,
      upstream: {
        providerId: offer.providerId,
        baseUrl: route.baseUrl,
        apiKey: apiKey ?? "",
        body,
        signal: AbortSignal.any([call.signal, AbortSignal.timeout(deps.timeoutMs)]),
      },
    };
  } catch (e) {
    if (reservationId) await releaseReservation(db, { accountId: payer.accountId, requestId: id });
    throw e;
  }
}

/**
 * The provider a request goes to: the one it names, or the router's choice. Each candidate is
 * priced at the request's upper bound (the hold it would need), at the price in force now.
 */
function pickOffer(
  catalog: RouterCatalog,
  caller: CallerContext,
  request: ChatCompletionRequest,
  timeoutMs: number,
): Candidate {
  const { modelId, providerId } = parseModelRef(request.model);
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
  const maxTokens = maxTokensOf(request);
  const promptBound = promptTokenBound(request.messages);
  const candidates: Candidate[] = offers.flatMap((o) => {
    const maxCostNano = catalog.book.rate({
      ...o,
      inputTokens: promptBound,
      outputTokens: maxTokens,
      computeMs: timeoutMs,
      at: caller.now,
    });
    return maxCostNano === null ? [] : [{ ...o, maxCostNano }];
  });
  const offer = providerId
    ? candidates.find((c) => c.providerId === providerId)
    : chooseProvider(candidates, {
        order: caller.preferences,
        disabled: caller.disabled,
        withKey: caller.withKey,
      });
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
): Promise<BillingReport> {
  const event = {
    id: d.id,
    accountId: d.payer.accountId,
    userId: d.call.userId,
    providerId: d.offer.providerId,
    modelId: d.offer.modelId,
    mode: d.mode,
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    computeMs: d.offer.pricingUnit === "compute" ? computeMs : 0,
    occurredAt: d.now,
  };
  const opts = { book: d.catalog.book, commit: "async" as const };
  const { results, thresholdChargesCreated, alertsFired } =
    d.reservationId && d.month
      ? await settleHeld(deps.db, event, { holdNano: d.offer.maxCostNano, month: d.month }, opts)
      : await settleUsage(deps.db, [event], opts);
  const result = results[0]!;
  if (result.status === "refused") {
    // The hold covered the request, so only a concurrent change of plan gets here.
    throw new AppError(result.code === "credits_exhausted" ? 402 : 403, result.code, result.message);
  }
  if (thresholdChargesCreated > 0) collectThresholdChargesSoon(deps.db);
  if (alertsFired > 0) processAlertsSoon(deps.db);
  return billingReport(d, result);
}

/** The provider failed: nothing to bill, the hold goes back. */
export async function abandon(deps: RouterDeps, d: Dispatch): Promise<void> {
  if (d.reservationId) await releaseReservation(deps.db, { accountId: d.payer.accountId, requestId: d.id });
}

export function toAppError(e: unknown): unknown {
  return e instanceof UpstreamError ? new AppError(e.status, e.code, e.message, e.details) : e;
}
