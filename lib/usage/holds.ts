import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { billingNow } from "@/lib/kernel/clock";
import { isProduction, readEnv } from "@/lib/config/env";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { authorizeRequest } from "@/lib/ledger/authorize";
import { releaseReservation } from "@/lib/ledger/reserve";
import { loadPriceBook } from "@/lib/pricing/price-book";
import type { holdBodySchema } from "./event-schema";

/**
 * Holds for external routers (POST /api/usage/holds): the router's own machinery, used as is.
 * authorizeRequest checks who pays and places the upper bound as a Reservation in one
 * conditional statement; the event carrying the holdId settles it (settleUsage: billed at most
 * the hold, the hold released); releaseReservation gives it back; the billing jobs' sweep
 * (sweepExpiredReservations) releases it once expired, as it does a router request's.
 *
 * A hold's reservation is placed under `svc:<service token id>:<random>`, so only the service
 * that placed it can settle or release it; the holdId it is given carries the paying account
 * too, which lets both find it by the reservations' (account, request id) key.
 */

/** The request id a service's hold is placed under. */
export const holdRequestId = (serviceTokenId: string, nonce: string) => `svc:${serviceTokenId}:${nonce}`;

const hex = (uuid: string) => uuid.replaceAll("-", "");
const uuid = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;

/** The account and random part of a holdId (`hold_<account hex><random hex>`), or null. */
export function parseHoldId(holdId: string): { accountId: string; nonce: string } | null {
  const m = /^hold_([0-9a-f]{32})([0-9a-f]{32})$/.exec(holdId);
  return m ? { accountId: uuid(m[1]!), nonce: m[2]! } : null;
}

export interface PlacedHold {
  holdId: string;
  /** When the billing jobs release it if no event has settled it. */
  expiresAt: string;
  /** The most the event that settles it is billed. */
  amountNano: string;
}

/**
 * Holds the upper bound of a request an external router is about to make: priced at the
 * catalog now, for the payer the router would bill. Refused as the router refuses (402 no room
 * in the credits or under the spending limit, 403 not a member, Free org, provider disabled or
 * not billable, 404 unknown user, org or model).
 */
export async function placeHold(
  db: Db,
  serviceTokenId: string,
  body: z.infer<typeof holdBodySchema>,
  env = readEnv(),
): Promise<PlacedHold> {
  const now = await billingNow(db, { production: isProduction(env) });
  const book = await loadPriceBook(db, [{ providerId: body.provider, modelId: body.model }]);
  const served = book.served(body.provider, body.model);
  const amountNano = served
    ? book.rate({
        providerId: body.provider,
        modelId: body.model,
        inputTokens: body.inputTokens,
        outputTokens: body.outputTokens,
        computeMs: body.computeMs,
        at: now,
      })
    : null;
  if (!served || amountNano === null) {
    throw new AppError(
      404,
      "model_not_found",
      `${body.provider} does not serve ${body.model} at a price in force now. GET /v1/models lists who serves what.`,
      { model: body.model, provider: body.provider },
    );
  }
  const nonce = hex(randomUUID());
  const { payer } = await authorizeRequest(db, {
    userId: body.userId,
    billTo: body.billTo ?? null,
    providerId: body.provider,
    modelId: body.model,
    billingIntegrated: served.billingIntegrated,
    mode: "routed",
    requestId: holdRequestId(serviceTokenId, nonce),
    maxCostNano: amountNano,
    now,
    holdTtlMs: env.ROUTER_HOLD_TTL_MS,
  });
  return {
    holdId: `hold_${hex(payer.accountId)}${nonce}`,
    // As authorizeRequest dated the reservation.
    expiresAt: new Date(now.getTime() + env.ROUTER_HOLD_TTL_MS).toISOString(),
    amountNano: amountNano.toString(),
  };
}

/** Releases a hold this service placed and no event settled; 404 for any other. */
export async function releaseHold(db: Db, serviceTokenId: string, holdId: string): Promise<void> {
  const ref = parseHoldId(holdId);
  const released =
    ref !== null &&
    (await releaseReservation(db, {
      accountId: ref.accountId,
      requestId: holdRequestId(serviceTokenId, ref.nonce),
    }));
  if (!released) {
    throw new AppError(
      404,
      "not_found",
      `There is no hold ${holdId} of yours to release: it was settled, released or has expired.`,
      { holdId },
    );
  }
}
