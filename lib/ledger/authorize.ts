import type { Commit, Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { refusalMessages } from "@/lib/ledger/settle";
import { periodStart } from "@/lib/kernel/period";
import type { PeriodRow } from "@/lib/ledger/settle-statements";
import { loadPayer, type CallerRef, type Payer, type PayerLookup } from "./payer";
import { reserve, RESERVATION_TTL_MS } from "./reserve";

/** A request to authorize, whoever makes it. */
export interface RequestTerms {
  /** X-HF-Bill-To, or null to bill the caller. */
  billTo: string | null;
  providerId: string;
  /** The model, checked against an org's allowed models; unchecked when absent. */
  modelId?: string;
  billingIntegrated: boolean;
  mode: "routed" | "custom_key";
  requestId: string;
  /** Upper bound of the request's cost (from max tokens, or the compute timeout). */
  maxCostNano: bigint;
  now: Date;
  /** How long the hold lasts if never settled; RESERVATION_TTL_MS by default. */
  holdTtlMs?: number;
  /** How the hold is committed (see poolOf): "async" for the router's own requests. */
  commit?: Commit;
}

export type AuthorizeInput = RequestTerms & { userId: string };

export interface Authorization {
  payer: Payer;
  /** The hold on the payer's month, for routed requests; settle or release it. */
  reservationId: string | null;
  /** The month as the hold found it, when it was placed in one statement (see settleHeld). */
  month: PeriodRow | null;
}

/**
 * The request path's gate, before any provider is called: who pays, whether they allow the
 * provider, whether the platform can bill it, and a hold that fits their credits or limit.
 * Custom-key requests are billed by the provider: no hold, no credits, no limit.
 */
export async function authorizeRequest(db: Db, input: AuthorizeInput): Promise<Authorization> {
  return admitPayer(db, input, await loadPayer(db, payerQuery(input, { userId: input.userId })));
}

/** The payer lookup that also places the request's hold when it is routed and billable. */
export function payerQuery(input: RequestTerms, caller: CallerRef): Parameters<typeof loadPayer>[1] {
  const routed = input.mode === "routed" && input.billingIntegrated;
  return {
    caller,
    billTo: input.billTo,
    providerId: input.providerId,
    modelId: input.modelId ?? null,
    period: periodStart(input.now),
    commit: input.commit,
    hold: routed
      ? {
          requestId: input.requestId,
          amountNano: input.maxCostNano,
          expiresAt: new Date(input.now.getTime() + (input.holdTtlMs ?? RESERVATION_TTL_MS)),
        }
      : null,
  };
}

/**
 * The rest of the gate once the payer is known (see loadPayer): the hold it placed, or the
 * reason it refuses, or (the month's row not there yet) the hold placed by reserve().
 */
export async function admitPayer(db: Db, input: RequestTerms, found: PayerLookup): Promise<Authorization> {
  const { reservationId: held, month, caller: _caller, ...payer } = found;
  if (held) return { payer, reservationId: held, month };
  if (!payer.modelAllowed) throw modelNotAllowed(input.modelId!, payer.orgName);
  if (payer.providerDisabledBy === "caller") {
    throw new AppError(
      403,
      "provider_disabled",
      `You switched ${input.providerId} off for your requests. Switch it on in your inference provider settings, or choose another provider.`,
      { provider: input.providerId, by: "caller" },
    );
  }
  if (payer.providerDisabledBy === "account") {
    throw new AppError(
      403,
      "provider_disabled",
      `${payer.orgName ?? "Your account"} has disabled ${input.providerId} for its requests. Choose another provider${payer.orgName ? ", or ask an org admin to enable it" : ""}.`,
      {
        provider: input.providerId,
        by: payer.orgName ? "org" : "account",
        ...(payer.orgName ? { org: payer.orgName } : {}),
      },
    );
  }
  if (input.mode === "custom_key") return { payer, reservationId: null, month: null };
  if (!input.billingIntegrated) {
    throw new AppError(
      403,
      "provider_not_integrated",
      refusalMessages.provider_not_integrated(input.providerId),
      {
        provider: input.providerId,
      },
    );
  }
  const { reservationId } = await reserve(db, {
    payer,
    requestId: input.requestId,
    amountNano: input.maxCostNano,
    now: input.now,
    ttlMs: input.holdTtlMs ?? RESERVATION_TTL_MS,
  });
  return { payer, reservationId, month: null };
}

/** An org admin allowed only some models for requests billed to the org, and not this one. */
export const modelNotAllowed = (modelId: string, orgName: string | null) =>
  new AppError(
    403,
    "model_not_allowed",
    `${orgName ?? "Your account"} allows only some models for its requests, and ${modelId} is not one of them. Choose an allowed model${orgName ? ", or ask an org admin to allow it" : ""}.`,
    { model: modelId, ...(orgName ? { org: orgName } : {}) },
  );
