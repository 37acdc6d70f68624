import { poolOf, type Commit, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/http/errors";
import { notOrgMember, orgNotFound } from "@/lib/accounts/access";
import { invalidToken, serviceTokenRefused } from "@/lib/auth/bearer";
import { LAST_USED_RESOLUTION_MS } from "@/lib/auth/tokens";
import { includedCreditsNano } from "@/lib/billing/credits";
import type { PeriodRow } from "@/lib/billing/settle-statements";

export interface Payer {
  accountId: string;
  plan: "free" | "pro" | "team" | "enterprise";
  /** The org named by X-HF-Bill-To, when the request is billed to one. */
  orgName: string | null;
  spendingLimitCents: number | null;
  /** Plan terms in force this month. */
  payAsYouGo: boolean;
  includedCreditsNano: bigint;
  /** Whether this account disabled the provider the request is for. */
  providerDisabled: boolean;
}

interface Row {
  userId: string | null;
  tokenKind: "user" | "service" | null;
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
  payAsYouGo: boolean | null;
  /** int8 arrives from node-postgres as a decimal string. */
  monthlyCreditsNano: string | null;
  perSeat: boolean | null;
  thresholdCents: number | null;
  reservationId: string | null;
  heldMonth: { included: string; used: string; payg: string } | null;
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
  /** The caller's provider order from their settings. */
  preferences: string[];
  /** Providers the caller stored their own key for. */
  withKey: Set<string>;
  /** Providers the paying account disabled. */
  disabled: Set<string>;
  /** The billing clock's offset from real time (outside production). */
  offsetMs: number;
}

export type PayerLookup = Payer & {
  caller: CallerContext;
  reservationId: string | null;
  month: PeriodRow | null;
};

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
export async function loadPayer(
  db: Db,
  input: {
    caller: CallerRef;
    billTo: string | null;
    providerId: string;
    period: Date;
    hold?: HoldRequest | null;
    commit?: Commit;
  },
): Promise<PayerLookup> {
  const hold = input.hold ?? null;
  const month = input.period.toISOString().slice(0, 10);
  const tokenHash = "tokenHash" in input.caller ? input.caller.tokenHash : null;
  const userId = "userId" in input.caller ? input.caller.userId : null;
  const {
    rows: [row],
  } = await poolOf(db, input.commit).query<Row>(sql`
    WITH caller AS (
      SELECT u.id AS "userId", u.provider_preferences AS preferences, t.id AS "tokenId", t.kind::text AS "tokenKind",
             t.last_used_at IS NULL OR t.last_used_at < now() - ${LAST_USED_RESOLUTION_MS} * interval '1 millisecond' AS touch
      FROM (SELECT 1) AS one
      LEFT JOIN api_tokens t ON t.token_hash = ${tokenHash} AND t.revoked_at IS NULL
      LEFT JOIN users u ON u.id = coalesce(${userId}::uuid, t.user_id)
    ), touched AS (
      UPDATE api_tokens SET last_used_at = now() WHERE id = (SELECT "tokenId" FROM caller WHERE touch)
    ), payer AS (
      SELECT caller.*, o.name AS "orgName", a.id AS "accountId", a.plan::text AS plan, a.seats,
             a.spending_limit_cents AS "spendingLimitCents", a.threshold_cents AS "thresholdCents",
             m.role::text AS role,
             EXISTS (SELECT 1 FROM disabled_providers d WHERE d.account_id = a.id AND d.provider_id = ${input.providerId}) AS "providerDisabled",
             EXISTS (SELECT 1 FROM provider_keys k WHERE k.user_id = caller."userId" AND k.provider_id = ${input.providerId}) AS "hasKey",
             t.pay_as_you_go AS "payAsYouGo", t.monthly_credits_nano AS "monthlyCreditsNano", t.per_seat AS "perSeat"
      FROM caller
      LEFT JOIN organizations o ON o.name = ${input.billTo}
      -- Written so that one generic plan (index lookups whichever way the request is billed)
      -- serves every call of this prepared statement: planning it per call cost more than running it.
      LEFT JOIN billing_accounts a ON a.id = (SELECT ba.id FROM billing_accounts ba
                                              WHERE (${input.billTo}::text IS NULL AND ba.user_id = caller."userId") OR ba.org_id = o.id)
      LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = caller."userId"
      LEFT JOIN LATERAL (SELECT * FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= ${input.period}::timestamptz
                         ORDER BY pp.effective_from DESC LIMIT 1) t ON true
    ), held AS (
      UPDATE account_periods p SET reserved_nano = p.reserved_nano + ${hold?.amountNano ?? null}::bigint, updated_at = now()
      FROM payer
      WHERE ${hold?.amountNano ?? null}::bigint IS NOT NULL
        AND p.account_id = payer."accountId" AND p.period = ${month}::date
        AND payer."userId" IS NOT NULL AND (payer."tokenKind" IS NULL OR payer."tokenKind" = 'user')
        AND (${input.billTo}::text IS NULL OR (payer.role IS NOT NULL AND payer.plan <> 'free'))
        AND NOT payer."providerDisabled" AND NOT payer."hasKey"
        AND CASE WHEN payer."payAsYouGo"
          THEN payer."spendingLimitCents" IS NULL OR p.payg_nano
               + GREATEST(0, p.reserved_nano + ${hold?.amountNano ?? null}::bigint - (p.credits_included_nano - p.credits_used_nano))
               <= payer."spendingLimitCents"::bigint * 10000000
          ELSE p.reserved_nano + ${hold?.amountNano ?? null}::bigint <= p.credits_included_nano - p.credits_used_nano
        END
      RETURNING p.account_id, p.credits_included_nano, p.credits_used_nano, p.payg_nano
    ), reservation AS (
      INSERT INTO reservations (account_id, period, request_id, amount_nano, expires_at)
      SELECT account_id, ${month}::date, ${hold?.requestId ?? null}, ${hold?.amountNano ?? null}::bigint, ${hold?.expiresAt ?? null}::timestamptz
      FROM held
      RETURNING id
    )
    SELECT payer."userId", payer."tokenKind", payer.preferences, payer."orgName", payer."accountId", payer.plan, payer.seats,
           payer."spendingLimitCents", payer."thresholdCents", payer.role, payer."providerDisabled", payer."payAsYouGo",
           payer."monthlyCreditsNano", payer."perSeat",
           ARRAY(SELECT k.provider_id FROM provider_keys k WHERE k.user_id = payer."userId") AS "withKey",
           ARRAY(SELECT d.provider_id FROM disabled_providers d WHERE d.account_id = payer."accountId") AS disabled,
           (SELECT c.offset_ms FROM billing_clock c WHERE c.id = 1)::text AS "offsetMs",
           (SELECT id FROM reservation) AS "reservationId",
           (SELECT json_build_object('included', credits_included_nano::text, 'used', credits_used_nano::text,
                                     'payg', payg_nano::text) FROM held) AS "heldMonth"
    FROM payer`);
  if (!row?.userId) {
    if (row?.tokenKind === "service") throw serviceTokenRefused();
    if (tokenHash !== null) throw invalidToken();
    throw new Error(`User ${userId} not found.`);
  }
  if (input.billTo) {
    if (!row.orgName || !row.accountId) throw orgNotFound(input.billTo);
    if (!row.role) throw notOrgMember(row.orgName);
    if (row.plan === "free") {
      throw new AppError(
        403,
        "org_plan_required",
        `${row.orgName} is on the Free plan: only organizations on a Team or Enterprise plan can be billed. Ask an admin to upgrade, or drop the X-HF-Bill-To header to bill your own account.`,
        { org: row.orgName },
      );
    }
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
    providerDisabled: row.providerDisabled,
    caller: {
      userId: row.userId,
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
          thresholdCents: row.thresholdCents!,
          payAsYouGo: row.payAsYouGo,
        }
      : null,
  };
}
