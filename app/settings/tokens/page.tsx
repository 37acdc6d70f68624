import type { Metadata } from "next";
import Link from "next/link";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { TokenManager } from "@/components/tokens/token-manager";
import { PageHeader } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/session";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/http/locale";
import { billingNow } from "@/lib/kernel/clock";
import { listTokensWithSpend } from "@/lib/ledger/token-spend";

export const metadata: Metadata = { title: "Access tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    queryKey: queryKeys.tokens(),
    queryFn: async () => {
      const db = getDb();
      return {
        tokens: await listTokensWithSpend(db, user.id, await billingNow(db, { production: isProduction() })),
      };
    },
  });
  return (
    <>
      <PageHeader
        title="Access tokens"
        description={
          <>
            Tokens authenticate the API and the router (Authorization: Bearer &lt;token&gt;). Treat them like
            passwords. See the{" "}
            <Link href="/docs/api" className="text-blue-700 underline dark:text-blue-400">
              API reference
            </Link>
            .
          </>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <TokenManager locale={await requestLocale()} />
      </HydrationBoundary>
    </>
  );
}
