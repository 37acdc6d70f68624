import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/http/errors";
import { notOrgMember, orgNotFound } from "@/lib/accounts/access";
import { includedCreditsNano } from "@/lib/billing/credits";

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
}

/**
 * Who pays for a request, in one query: the caller's own account, or the organization named by
 * `X-HF-Bill-To`, which the caller must be a member of (roles are read now, never from a
 * session) and which must be on a paid plan; with the plan's terms this month and whether the
 * account disabled the provider.
 */
export async function loadPayer(
  db: Db,
  input: { userId: string; billTo: string | null; providerId: string; period: Date },
): Promise<Payer> {
  const {
    rows: [row],
  } = await poolOf(db).query<Row>(sql`
    SELECT o.name AS "orgName", a.id AS "accountId", a.plan::text AS plan, a.seats, a.spending_limit_cents AS "spendingLimitCents",
           m.role::text AS role,
           EXISTS (SELECT 1 FROM disabled_providers d WHERE d.account_id = a.id AND d.provider_id = ${input.providerId}) AS "providerDisabled",
           t.pay_as_you_go AS "payAsYouGo", t.monthly_credits_nano AS "monthlyCreditsNano", t.per_seat AS "perSeat"
    FROM (SELECT 1) AS one
    LEFT JOIN organizations o ON o.name = ${input.billTo}
    LEFT JOIN billing_accounts a ON CASE WHEN ${input.billTo}::text IS NULL THEN a.user_id = ${input.userId}::uuid ELSE a.org_id = o.id END
    LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = ${input.userId}::uuid
    LEFT JOIN LATERAL (SELECT * FROM plan_prices pp WHERE pp.plan = a.plan AND pp.effective_from <= ${input.period}::timestamptz
                       ORDER BY pp.effective_from DESC LIMIT 1) t ON true`);
  if (input.billTo) {
    if (!row?.orgName || !row.accountId) throw orgNotFound(input.billTo);
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
  if (!row?.accountId || row.payAsYouGo === null)
    throw new Error(`No billing account or plan terms for user ${input.userId}.`);
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
  };
}
