import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { headers } from "next/headers";
import { queryKeys } from "@/lib/api/query-keys";
import { billingNow } from "@/lib/kernel/clock";
import { isProduction } from "@/lib/config/env";
import type { Db } from "@/lib/db/prisma";
import { rangeFromParams, rangePresets } from "@/lib/usage/range";
import { usageView } from "@/lib/usage/usage-view";
import type { GroupBy } from "@/lib/usage/wire";

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

/**
 * What a usage page needs before it renders: the billing clock's now, the range from the URL,
 * and every breakdown the dashboard shows, prefetched under the keys the browser will use.
 */
export async function prefetchUsagePage(
  db: Db,
  queryClient: QueryClient,
  input: {
    accountId: string;
    billTo: string | null;
    searchParams: SearchParams;
    tables: Exclude<GroupBy, "day">[];
    /** By token: whose tokens (tokenScope in lib/usage/usage-account.ts). */
    tokensOf?: string | null;
  },
) {
  const now = await billingNow(db, { production: isProduction() });
  const range = rangeFromParams(
    { from: first(input.searchParams.from), to: first(input.searchParams.to) },
    now,
  );
  await Promise.all(
    (["day", ...input.tables] as GroupBy[]).map((groupBy) =>
      queryClient.prefetchQuery({
        queryKey: queryKeys.usage(input.billTo, groupBy, range.from, range.to),
        queryFn: () =>
          usageView(db, {
            accountId: input.accountId,
            from: new Date(range.from),
            to: new Date(range.to),
            groupBy,
            tokensOf: input.tokensOf,
          }),
      }),
    ),
  );
  const h = await headers();
  const apiBase = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return { now, nowIso: now.toISOString(), presets: rangePresets(now), apiBase };
}
