import { poolOf, type Commit, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { orgNotFound } from "@/lib/accounts/access";
import { orgBillableSql, orgBillingRefusal } from "@/lib/accounts/bill-to";
import { invalidToken, serviceTokenRefused } from "@/lib/auth/bearer";
import { tokenRefusal } from "@/lib/auth/token-scope";
import { tokenAllowsInferenceSql } from "@/lib/auth/token-scope-sql";
import { LAST_USED_RESOLUTION_MS } from "@/lib/auth/tokens";
import { includedCreditsNano } from "@/lib/ledger/credits";
import type { PeriodRow } from "@/lib/ledger/settle-statements";
import { NANO_PER_CENT } from "@/lib/money/units";
import { holdFitsSql } from "./room";

export interface Payer {
  accountId: string;
  plan: "free" | "pro" | "team" | "enterprise";
  /** The org named by X-HF-Bill-To, when the request is billed to one. */
  orgName: string | null;
  spendingLimitCents: number | null;
  /** Plan terms in force this month. */
  payAsYouGo: boolean;
  includedCreditsNano: bigint;
  /** Who switched off the provider the request is for: the caller, the paying account, or none. */
  providerDisabledBy: "caller" | "account" | null;
  /** Whether the paying account allows the request's model (an org's allowlist). */
  modelAllowed: boolean;
}

interface Row {
  userId: string | null;
  tokenId: string | null;
  tokenLimited: boolean | null;
  tokenKind: "user" | "service" | null;
  /** The access token's scope (null columns for a caller known by id); dbNow dates its expiry. */
  tokenExpiresAt: Date | null;
  tokenPermissions: string[] | null;
  tokenBillToAny: boolean | null;
  tokenBillToOrgs: string[] | null;
  dbNow: Date;
  preferences: string[] | null;
  withKey: string[];
  disabled: string[];
  offsetMs: string | null;
  orgName: string | null;
  accountId: string | null;
  plan: Payer["plan"] | null;
  seats: number | null;
  spendingLimitCents: number | null;
  role: string | null;
  providerDisabled: boolean;
  /** The caller's own switch (user_disabled_providers), part of providerDisabled. */
  ownDisabled: boolean;
  modelAllowed: boolean;
  payAsYouGo: boolean | null;
  /** int8 arrives from node-postgres as a decimal string. */
  monthlyCreditsNano: string | null;
  perSeat: boolean | null;
  thresholdCents: number | null;
  reservationId: string | null;
  heldMonth: { included: string; used: string; payg: string; reserved: string } | null;
}

export interface HoldRequest {
  requestId: string;
  amountNano: bigint;
  expiresAt: Date;
}

/** Who is calling: a user already known, or the hash of the access token they sent. */
export type CallerRef = { userId: string } | { tokenHash: string };

/** What choosing a provider needs to know about the caller, read with the payer. */
export interface CallerContext {
  userId: string;
  /** The access token the caller sent, when they sent one (usage is attributed to it). */
  tokenId: string | null;
  /** Whether that token has a spending limit of its own (its requests then hold on it too). */
  tokenLimited: boolean;
  /** The caller's provider order from their settings. */
  preferences: string[];
  /** Providers the caller stored their own key for. */
  withKey: Set<string>;
  /** Providers the paying account disabled, and those the caller switched off. */
  disabled: Set<string>;
  /** The billing clock's offset from real time (outside production). */
  offsetMs: number;
}

export type PayerLookup = Payer & {
  caller: CallerContext;
  reservationId: string | null;
  month: PeriodRow | null;
};

/** The holds a month takes in loadPayers: all of a statement's for one month together. */
const holdsFit = holdFitsSql({
  paygNano: "p.payg_nano",
  reservedNano: "p.reserved_nano",
  creditsLeftNano: "p.credits_included_nano - p.credits_used_nano",
  limitNano: `w.limit_cents::bigint * ${NANO_PER_CENT}`,
  payAsYouGo: "w.payg",
  amountNano: "w.amount",
});

/** Whether the access token may make this request (lib/auth/token-scope.ts). */
const tokenAllows = tokenAllowsInferenceSql({
  expiresAt: '"tokenExpiresAt"',
  permissions: '"tokenPermissions"',
  billToAny: '"tokenBillToAny"',
  billToOrgs: '"tokenBillToOrgs"',
  billTo: "bill_to",
  now: "now()",
});

/** Whether the caller may bill the org of X-HF-Bill-To (lib/accounts/bill-to.ts). */
const orgBillable = orgBillableSql({ plan: "plan", memberRole: "role" });

/** One request's payer lookup (see loadPayers). */
export interface PayerQuery {
  caller: CallerRef;
  billTo: string | null;
  providerId: string;
  /** The request's model, checked against the payer's allowed models; null: no model yet. */
  modelId?: string | null;
  period: Date;
  hold?: HoldRequest | null;
}

/**
 * Who pays for a request, in one statement: the caller (a user, or the access token they sent,
 * which must be a live user token), their own account or the organization named by
 * `X-HF-Bill-To`, which the caller must be a member of (roles are read now, never from a
 * session) and which must be on a paid plan; with the plan's terms this month, whether the
 * account disabled the provider, and the caller's context (provider order, own keys, the
 * account's disabled providers, the billing clock). With `hold`, the same statement also places
 * the hold when everything allows it and the caller has no key of their own for the provider
 * (the common case: one round trip for the whole admission), and returns the month as it found
 * it; `reservationId` is null when it did not, and reserve() then says why, or creates the
 * month's row and tries again.
 */
export async function loadPayer(db: Db, input: PayerQuery & { commit?: Commit }): Promise<PayerLookup> {
  const [found] = await loadPayers(db, [input], input.commit);
  if (found instanceof Error) throw found;
  return found!;
}

/**
 * loadPayer for many requests in one statement (the router admits concurrent requests
 * together), each answered on its own: its lookup, or the error that refuses it. The holds of
 * one month go in together or not at all (then reserve() tries each alone); months are locked
 * in key order, as settlements lock them, so concurrent statements never deadlock.
 */
export async function loadPayers(
  db: Db,
  inputs: PayerQuery[],
  commit?: Commit,
): Promise<(PayerLookup | AppError)[]> {
  const col = <T>(f: (q: PayerQuery) => T) => inputs.map(f);
  const { rows } = await poolOf(db, commit).query<Row & { n: string }>(sql`
    WITH req AS (
      SELECT * FROM unnest(${col((q) => ("userId" in q.caller ? q.caller.userId : null))}::uuid[],
                           ${col((q) => ("tokenHash" in q.caller ? q.caller.tokenHash : null))}::text[],
                           ${col((q) => q.billTo)}::text[], ${col((q) => q.providerId)}::text[], ${col((q) => q.modelId ?? null)}::text[],
                           ${col((q) => q.period.toISOString().slice(0, 10))}::date[],
                           ${col((q) => q.hold?.amountNano ?? null)}::bigint[], ${col((q) => q.hold?.requestId ?? null)}::text[],
                           ${col((q) => q.hold?.expiresAt.toISOString() ?? null)}::timestamptz[]) WITH ORDINALITY
        AS r(user_id, token_hash, bill_to, provider_id, model_id, period, amount, request_id, expires_at, n)
    ), caller AS (
      SELECT r.*, u.id AS "userId", u.provider_preferences AS preferences, t.id AS "tokenId", t.kind::text AS "tokenKind",
             t.expires_at AS "tokenExpiresAt", t.permissions AS "tokenPermissions", t.bill_to_any AS "tokenBillToAny",
             t.bill_to_orgs AS "tokenBillToOrgs", t.limit_cents IS NOT NULL AS "tokenLimited",
             t.last_used_at IS NULL OR t.last_used_at < now() - ${LAST_USED_RESOLUTION_MS} * interval '1 millisecond' AS touch
      FROM req r
      LEFT JOIN api_tokens t ON t.token_hash = r.token_hash AND t.revoked_at IS NULL
      LEFT JOIN users u ON u.id = coalesce(r.user_id, t.user_id)
    ), touched AS (
      UPDATE api_tokens SET last_used_at = now() WHERE id IN (SELECT "tokenId" FROM caller WHERE touch)
    ), payer AS (
      SELECT caller.*, o.name AS "orgName", a.id AS "accountId", a.plan::text AS plan, a.seats,
             a.spending_limit_cents AS "spendingLimitCents", a.threshold_cents AS "thresholdCents",
             m.role::text AS role,
             EXISTS (SELECT 1 FROM disabled_providers d WHERE d.account_id = a.id AND d.provider_id = caller.provider_id) AS "accountDisabled",
             EXISTS (SELECT 1 FROM user_disabled_providers ud WHERE ud.user_id = caller."userId" AND ud.provider_id = caller.provider_id) AS "ownDisabled",
             caller.model_id IS NULL OR NOT EXISTS (SELECT 1 FROM allowed_models am WHERE am.account_id = a.id)
               OR EXISTS (SELECT 1 FROM allowed_models am WHERE am.account_id = a.id AND am.model_id = caller.model_id) AS "modelAllowed",
             EXISTS (SELECT 1 FROM provider_keys k WHERE k.user_id = caller."userId" AND k.provider_id = caller.provider_id) AS "hasKey",
             t.pay_as_you_go AS "payAsYouGo", t.monthly_credits_nano AS "monthlyCreditsNano", t.per_seat AS "perSeat"
      FROM caller
      LEFT JOIN organizations o ON o.name = caller.bill_to
      -- Written so that one generic plan (index lookups whichever way the request is billed)
      -- serves every call of this prepared statement: planning it per call cost more than running it.
      LEFT JOIN billing_accounts a ON a.id = (SELECT ba.id FROM billing_accounts ba
                                              WHERE (caller.bill_to IS NULL AND ba.user_id = caller."userId") OR ba.org_id = o.id)
      LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = caller."userId"
      LEFT JOIN LATERAL (SELECT * FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= caller.period
                         ORDER BY pp.effective_from DESC LIMIT 1) t ON true
    ), asks AS (
      -- The holds everything allows: a live user token, a paid org the caller belongs to, the
      -- provider enabled by the account and by the caller, the model allowed, and no key of the
      -- caller's own for the provider.
      SELECT payer.*, "accountDisabled" OR "ownDisabled" AS "providerDisabled", amount IS NOT NULL AND "accountId" IS NOT NULL AND "userId" IS NOT NULL
                      AND ("tokenKind" IS NULL OR ("tokenKind" = 'user' AND ${tokenAllows}))
                      AND (bill_to IS NULL OR ${orgBillable})
                      AND NOT "accountDisabled" AND NOT "ownDisabled" AND "modelAllowed" AND NOT "hasKey" AS allowed
      FROM payer
    ), wanted AS (
      SELECT "accountId" AS account_id, period, sum(amount)::bigint AS amount,
             bool_and("payAsYouGo") AS payg, min("spendingLimitCents") AS limit_cents
      FROM asks WHERE allowed GROUP BY 1, 2
    ), locked AS (
      SELECT p.account_id, p.period FROM account_periods p JOIN wanted w USING (account_id, period)
      ORDER BY p.account_id, p.period
      FOR UPDATE OF p
    ), held AS (
      UPDATE account_periods p SET reserved_nano = p.reserved_nano + w.amount, updated_at = now()
      FROM wanted w JOIN locked l USING (account_id, period)
      WHERE p.account_id = w.account_id AND p.period = w.period
        AND ${holdsFit}
      RETURNING p.account_id, p.period, p.credits_included_nano, p.credits_used_nano, p.payg_nano, p.reserved_nano
    ), reservation AS (
      INSERT INTO reservations (account_id, period, request_id, amount_nano, expires_at)
      SELECT h.account_id, h.period, asks.request_id, asks.amount, asks.expires_at
      FROM asks JOIN held h ON h.account_id = asks."accountId" AND h.period = asks.period
      WHERE asks.allowed
      ORDER BY asks.n
      RETURNING id, request_id
    )
    SELECT asks.n::text AS n, asks."userId", asks."tokenId", asks."tokenLimited", asks."tokenKind", asks."tokenExpiresAt", asks."tokenPermissions",
           asks."tokenBillToAny", asks."tokenBillToOrgs", now() AS "dbNow", asks.preferences, asks."orgName", asks."accountId", asks.plan,
           asks.seats, asks."spendingLimitCents", asks."thresholdCents", asks.role, asks."providerDisabled", asks."ownDisabled", asks."modelAllowed", asks."payAsYouGo",
           asks."monthlyCreditsNano", asks."perSeat",
           ARRAY(SELECT k.provider_id FROM provider_keys k WHERE k.user_id = asks."userId") AS "withKey",
           ARRAY(SELECT d.provider_id FROM disabled_providers d WHERE d.account_id = asks."accountId"
                 UNION SELECT ud.provider_id FROM user_disabled_providers ud WHERE ud.user_id = asks."userId") AS disabled,
           (SELECT c.offset_ms FROM billing_clock c WHERE c.id = 1)::text AS "offsetMs",
           r.id AS "reservationId",
           CASE WHEN r.id IS NOT NULL THEN
             (SELECT json_build_object('included', h.credits_included_nano::text, 'used', h.credits_used_nano::text,
                                       'payg', h.payg_nano::text, 'reserved', h.reserved_nano::text)
              FROM held h WHERE h.account_id = asks."accountId" AND h.period = asks.period) END AS "heldMonth"
    FROM asks LEFT JOIN reservation r ON asks.allowed AND r.request_id = asks.request_id
    ORDER BY asks.n`);
  const byN = new Map(rows.map((r) => [Number(r.n), r]));
  return inputs.map((input, i) => {
    try {
      return lookupOf(input, byN.get(i + 1));
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
  });
}

/** One request's row as the caller sees it: its payer and context, or why it is refused. */
function lookupOf(input: PayerQuery, row: Row | undefined): PayerLookup {
  if (!row?.userId) {
    if (row?.tokenKind === "service") throw serviceTokenRefused();
    if ("tokenHash" in input.caller) throw invalidToken();
    throw new AppError(404, "user_not_found", `There is no user ${input.caller.userId}.`, {
      userId: input.caller.userId,
    });
  }
  if (row.tokenKind === "user") {
    const scope = {
      expiresAt: row.tokenExpiresAt,
      permissions: row.tokenPermissions!,
      billToAny: row.tokenBillToAny!,
      billToOrgs: row.tokenBillToOrgs!,
    };
    // The database's clock, as the statement that placed (or did not place) the hold read it.
    const refusal = tokenRefusal(scope, { permission: "inference", billTo: input.billTo, now: row.dbNow });
    if (refusal) throw refusal;
  }
  if (input.billTo) {
    if (!row.orgName || !row.accountId) throw orgNotFound(input.billTo);
    const refusal = orgBillingRefusal({ name: row.orgName, plan: row.plan!, memberRole: row.role });
    if (refusal) throw refusal;
  }
  if (!row.accountId || row.payAsYouGo === null)
    throw new Error(`No billing account or plan terms for user ${row.userId}.`);
  return {
    accountId: row.accountId,
    plan: row.plan!,
    orgName: input.billTo ? row.orgName : null,
    spendingLimitCents: row.spendingLimitCents,
    payAsYouGo: row.payAsYouGo,
    includedCreditsNano: includedCreditsNano(
      { monthlyCreditsNano: BigInt(row.monthlyCreditsNano!), perSeat: row.perSeat! },
      row.seats!,
    ),
    providerDisabledBy: row.ownDisabled ? "caller" : row.providerDisabled ? "account" : null,
    modelAllowed: row.modelAllowed,
    caller: {
      userId: row.userId,
      tokenId: row.tokenId,
      tokenLimited: row.tokenLimited === true,
      preferences: row.preferences ?? [],
      withKey: new Set(row.withKey),
      disabled: new Set(row.disabled),
      offsetMs: Number(row.offsetMs ?? 0),
    },
    reservationId: row.reservationId,
    // The month as the hold found it: the snapshot settleHeld allocates from.
    month: row.heldMonth
      ? {
          accountId: row.accountId,
          period: input.period,
          creditsIncludedNano: BigInt(row.heldMonth.included),
          creditsUsedNano: BigInt(row.heldMonth.used),
          paygNano: BigInt(row.heldMonth.payg),
          reservedNano: BigInt(row.heldMonth.reserved),
          limitNano: row.spendingLimitCents === null ? null : BigInt(row.spendingLimitCents) * NANO_PER_CENT,
          thresholdCents: row.thresholdCents!,
          payAsYouGo: row.payAsYouGo,
        }
      : null,
  };
}
