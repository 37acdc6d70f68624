import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { documentAs } from "@/lib/http/contract";
import { AppError } from "@/lib/kernel/errors";
import { isProduction, readEnv } from "@/lib/config/env";
import { billingNow } from "@/lib/kernel/clock";
import { retentionHorizon } from "@/lib/kernel/retention";
import { modelNotAllowed } from "@/lib/ledger/authorize";
import { refusalMessages, settleUsage, type SettleResult, type UsageInput } from "@/lib/ledger/settle";
import { fireAlertAtRefusal } from "@/lib/alerts/fire";
import { periodStart } from "@/lib/kernel/period";
import { centsToNano } from "@/lib/money/units";
import { loadPriceBook } from "@/lib/pricing/price-book";
import { usageEventSchema } from "./event-schema";
import { holdRequestId, parseHoldId } from "./holds";
import { loadBatchRefs } from "./ingest-refs";
import { orgBillingRefusal } from "@/lib/accounts/bill-to";

export const MAX_BATCH = 1_000;

/** How far ahead of our clock an event may be dated. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

// Events are checked one by one (below), to answer per-event errors; the API reference shows usageEventSchema.
const rawEvent = documentAs(z.unknown(), usageEventSchema);
export const ingestBodySchema = z.strictObject({ events: z.array(rawEvent).min(1).max(MAX_BATCH) });

/** Why an event is invalid, stable for the sender to act on; `message` says it in words. */
export type EventErrorCode =
  | "invalid_event"
  | "duplicate_id_in_batch"
  | "past_retention"
  | "occurred_in_future"
  | "user_not_found"
  | "org_not_found"
  | "not_org_member"
  | "model_not_found"
  | "price_not_found"
  | "duplicate_hold_in_batch"
  | "hold_mismatch";

export interface EventError {
  index: number;
  id?: string;
  code: EventErrorCode;
  message: string;
}

export type IngestResult =
  | SettleResult
  | {
      id: string;
      status: "refused";
      code: "provider_disabled" | "model_not_allowed" | "org_plan_required";
      message: string;
    };

/**
 * Ingests a batch from an external router. Every event is checked first, shape and
 * references (user, org membership, provider, price); one bad event rejects the whole batch
 * with per-event errors and writes nothing. The rest is settleUsage: one transaction, ids
 * already stored acknowledged as duplicates and never counted again. Events the billing rules
 * refuse (Free credits used up, no room under the spending limit with the holds in flight,
 * provider not billable or disabled by the org) come back refused, and are not recorded.
 *
 * An event naming a `holdId` (POST /api/usage/holds, by the same service) settles that hold: it
 * is billed at most the hold's amount, however much more it reports, as the router bills its
 * own requests; capping rather than refusing keeps the limit strict (the hold fitted) and the
 * usage recorded. A hold already gone (settled by another event, released, expired) is no hold:
 * the event is billed like one without, within the room left, or refused.
 */
export async function ingestUsage(
  db: Db,
  rawEvents: unknown[],
  opts: { retentionMonths?: number; serviceTokenId?: string } = {},
): Promise<{ results: IngestResult[]; thresholdChargesCreated: number; alertsFired: number }> {
  const env = readEnv();
  const retentionMonths = opts.retentionMonths ?? env.USAGE_RETENTION_MONTHS;
  const horizon = retentionHorizon(new Date(), retentionMonths);
  // A router's clock may run a little ahead; beyond that a date is a bug or a forgery, and would
  // make a month (with its partition) that has not begun. The billing clock: demos move it.
  const latest = new Date(
    (await billingNow(db, { production: isProduction(env) })).getTime() + MAX_CLOCK_SKEW_MS,
  );
  const errors: EventError[] = [];
  const parsed: { event: z.infer<typeof usageEventSchema>; index: number }[] = [];
  rawEvents.forEach((raw, index) => {
    const r = usageEventSchema.safeParse(raw);
    if (r.success) parsed.push({ event: r.data, index });
    else {
      const id =
        typeof raw === "object" && raw && typeof (raw as { id?: unknown }).id === "string"
          ? (raw as { id: string }).id
          : undefined;
      errors.push({
        index,
        id,
        code: "invalid_event",
        message: r.error.issues.map((i) => `${i.path.join(".") || "event"}: ${i.message}`).join("; "),
      });
    }
  });
  // Two events with one id would be stored once, with one of the two payloads: the sender must
  // say which it means, so the batch is refused, each copy named.
  const seen = new Map<string, number>();
  const holdUses = new Map<string, number>();
  for (const { event } of parsed) {
    seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
    if (event.holdId) holdUses.set(event.holdId, (holdUses.get(event.holdId) ?? 0) + 1);
  }
  const userIds = [...new Set(parsed.map((p) => p.event.userId))];
  const orgNames = [...new Set(parsed.map((p) => p.event.billTo).filter((o): o is string => Boolean(o)))];
  const [refs, book] = await Promise.all([
    loadBatchRefs(db, userIds, orgNames),
    loadPriceBook(
      db,
      parsed.map((p) => ({ providerId: p.event.provider, modelId: p.event.model })),
    ),
  ]);

  const refused = new Map<string, IngestResult>();
  const inputs: UsageInput[] = [];
  const costs = new Map<string, bigint>();
  for (const { event: e, index } of parsed) {
    const occurredAt = new Date(e.occurredAt);
    const fail = (code: EventErrorCode, message: string) => errors.push({ index, id: e.id, code, message });
    if (seen.get(e.id)! > 1) {
      fail(
        "duplicate_id_in_batch",
        `id: ${e.id} is sent ${seen.get(e.id)} times in this batch; send each request once.`,
      );
      continue;
    }
    if (occurredAt < horizon) {
      fail(
        "past_retention",
        `occurredAt: usage before ${horizon.toISOString().slice(0, 7)} is past the ${retentionMonths}-month retention and cannot be recorded.`,
      );
      continue;
    }
    if (occurredAt > latest) {
      fail(
        "occurred_in_future",
        `occurredAt: ${e.occurredAt} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the billing clock (${latest.toISOString()} at the latest); send events when they have happened.`,
      );
      continue;
    }
    const user = refs.users.get(e.userId);
    if (!user) {
      fail("user_not_found", `userId: there is no user ${e.userId}.`);
      continue;
    }
    const org = e.billTo ? refs.orgs.get(e.billTo) : undefined;
    if (e.billTo && !org?.accountId) {
      fail("org_not_found", `billTo: there is no organization named ${e.billTo}.`);
      continue;
    }
    const billing =
      org &&
      orgBillingRefusal({
        name: e.billTo!,
        plan: org.plan!,
        memberRole: org.memberRoles.get(e.userId) ?? null,
      });
    if (billing?.code === "not_org_member") {
      fail("not_org_member", `billTo: user ${e.userId} is not a member of ${e.billTo}.`);
      continue;
    }
    if (!book.served(e.provider, e.model)) {
      fail("model_not_found", `${e.provider} does not serve ${e.model}.`);
      continue;
    }
    // Fields listed, not spread: this runs for every event of every batch.
    const cost = book.rate({
      providerId: e.provider,
      modelId: e.model,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      cachedInputTokens: e.cachedInputTokens,
      reasoningTokens: e.reasoningTokens,
      computeMs: e.computeMs,
      at: occurredAt,
    });
    if (cost === null) {
      fail("price_not_found", `no price for ${e.model} on ${e.provider} was in force at ${e.occurredAt}.`);
      continue;
    }

    if (billing) {
      refused.set(e.id, { id: e.id, status: "refused", code: "org_plan_required", message: billing.message });
      continue;
    }
    if (org?.allowedModels && !org.allowedModels.has(e.model)) {
      refused.set(e.id, {
        id: e.id,
        status: "refused",
        code: "model_not_allowed",
        message: modelNotAllowed(e.model, e.billTo!).message,
      });
      continue;
    }
    if ((org ?? user).disabledProviders.has(e.provider) || user.switchedOff.has(e.provider)) {
      refused.set(e.id, {
        id: e.id,
        status: "refused",
        code: "provider_disabled",
        message: user.switchedOff.has(e.provider)
          ? `${e.provider} is switched off by user ${e.userId} for their requests.`
          : `${e.provider} is disabled for requests billed to this account.`,
      });
      continue;
    }
    const accountId = org ? org.accountId! : user.accountId;
    const hold = e.holdId ? parseHoldId(e.holdId) : null;
    if (e.holdId && holdUses.get(e.holdId)! > 1) {
      fail("duplicate_hold_in_batch", `holdId: ${e.holdId} is named by several events; a hold settles one.`);
      continue;
    }
    if (hold && hold.accountId !== accountId) {
      fail(
        "hold_mismatch",
        `holdId: ${e.holdId} holds on another account than the one this event is billed to (userId, billTo).`,
      );
      continue;
    }
    costs.set(e.id, cost);
    inputs.push({
      id: e.id,
      accountId,
      userId: e.userId,
      providerId: e.provider,
      modelId: e.model,
      mode: e.mode,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
      cachedInputTokens: e.cachedInputTokens,
      reasoningTokens: e.reasoningTokens,
      computeMs: e.computeMs,
      occurredAt,
      holdId: hold ? holdRequestId(opts.serviceTokenId ?? "", hold.nonce) : undefined,
    });
  }
  if (errors.length) throw invalid(errors.sort((a, b) => a.index - b.index));

  const { results, thresholdChargesCreated, alertsFired } = await settleUsage(db, inputs, {
    book,
    costs,
    held: false,
  });
  const settled = new Map(results.map((r) => [r.id, r]));
  const refusalAlerts = await alertRefusals(db, inputs, results);
  return {
    results: parsed.map(({ event: { id, billTo } }) => refused.get(id) ?? named(settled.get(id)!, billTo)),
    thresholdChargesCreated,
    alertsFired: alertsFired + refusalAlerts,
  };
}

/**
 * A refusal at the spending limit is the limit's 100% alert (as reserve()'s is): holds, or an
 * event bigger than the room left, can refuse before spend alone reaches the level. Once per
 * account and month; answers how many it tried, so the caller has the alerts processed.
 */
async function alertRefusals(db: Db, inputs: UsageInput[], results: SettleResult[]): Promise<number> {
  const input = new Map(inputs.map((i) => [i.id, i]));
  const months = new Map<string, Parameters<typeof fireAlertAtRefusal>[1]>();
  for (const r of results) {
    if (r.status !== "refused" || r.code !== "spending_limit_reached") continue;
    const { accountId, occurredAt } = input.get(r.id)!;
    const period = periodStart(occurredAt);
    months.set(`${accountId}|${period.getTime()}`, {
      accountId,
      period,
      kind: "spending_limit",
      usedNano: centsToNano(r.details.spentCents), // as the refusal reports it, to the cent
      capNano: centsToNano(r.details.limitCents),
    });
  }
  for (const m of months.values()) await fireAlertAtRefusal(db, m);
  return months.size;
}

/** A refusal at the spending limit names the org, as the router's does. */
function named(r: SettleResult, billTo: string | null | undefined): IngestResult {
  if (r.status !== "refused" || r.code !== "spending_limit_reached" || !billTo) return r;
  return { ...r, message: refusalMessages.spending_limit_reached(billTo, r.details) };
}

function invalid(errors: EventError[]) {
  return new AppError(
    400,
    "invalid_events",
    `${errors.length} event${errors.length === 1 ? " is" : "s are"} invalid; nothing was recorded. Fix them and send the batch again.`,
    { errors },
  );
}
