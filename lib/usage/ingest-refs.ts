import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";

export interface UserRef {
  /** The user's own billing account. */
  accountId: string;
  disabledProviders: Set<string>;
  /** Providers the user switched off for their own requests, wherever billed. */
  switchedOff: Set<string>;
}

export interface OrgRef {
  /** Null for an organization without a billing account (treated as unknown). */
  accountId: string | null;
  plan: string | null;
  disabledProviders: Set<string>;
  /** The role of each of the batch's users who is a member. */
  memberRoles: Map<string, string>;
  /** The models requests billed to it may use; null: every model. */
  allowedModels: Set<string> | null;
}

interface Found {
  users: { u: string; a: string; d: string[] | null; o: string[] | null }[];
  orgs: {
    n: string;
    a: string | null;
    p: string | null;
    d: string[] | null;
    m: Record<string, string> | null;
    w: string[] | null;
  }[];
}

/**
 * What a batch's events refer to, in one statement on the pool (not the ORM: ingestion runs it
 * for every batch, and three ORM queries cost more CPU than the rest of a batch's lookups): each
 * user's own billing account, the providers it disabled and those the user switched off; each
 * named organization's account, plan and disabled providers, and the roles of the batch's users
 * who are its members.
 */
export async function loadBatchRefs(db: Db, userIds: string[], orgNames: string[]) {
  const {
    rows: [found],
  } = await poolOf(db).query<Found>(sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('u', a.user_id, 'a', a.id,
                'd', (SELECT json_agg(d.provider_id) FROM disabled_providers d WHERE d.account_id = a.id),
                'o', (SELECT json_agg(ud.provider_id) FROM user_disabled_providers ud WHERE ud.user_id = a.user_id))), '[]')
       FROM billing_accounts a WHERE a.user_id = ANY(${userIds}::uuid[])) AS users,
      (SELECT coalesce(json_agg(json_build_object('n', o.name, 'a', a.id, 'p', a.plan,
                'd', (SELECT json_agg(d.provider_id) FROM disabled_providers d WHERE d.account_id = a.id),
                'm', (SELECT json_object_agg(m.user_id, m.role) FROM memberships m
                      WHERE m.org_id = o.id AND m.user_id = ANY(${userIds}::uuid[])),
                'w', (SELECT json_agg(am.model_id) FROM allowed_models am WHERE am.account_id = a.id))), '[]')
       FROM organizations o LEFT JOIN billing_accounts a ON a.org_id = o.id
       WHERE o.name = ANY(${orgNames}::text[])) AS orgs`);
  const users = new Map<string, UserRef>(
    found!.users.map((r) => [
      r.u,
      { accountId: r.a, disabledProviders: new Set(r.d ?? []), switchedOff: new Set(r.o ?? []) },
    ]),
  );
  const orgs = new Map<string, OrgRef>(
    found!.orgs.map((r) => [
      r.n,
      {
        accountId: r.a,
        plan: r.p,
        disabledProviders: new Set(r.d ?? []),
        memberRoles: new Map(Object.entries(r.m ?? {})),
        allowedModels: r.w ? new Set(r.w) : null,
      },
    ]),
  );
  return { users, orgs };
}
