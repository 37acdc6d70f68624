import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { ProviderKeysManager } from "@/components/keys/provider-keys-manager";
import { ProviderPreferences } from "@/components/keys/provider-preferences";
import { MonthGlanceView } from "@/components/usage/month-glance";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { PageHeader, Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/http/locale";
import { listProviderKeys } from "@/lib/keys/provider-keys";
import { getProviderPreferences } from "@/lib/keys/provider-preferences";
import { monthGlance } from "@/lib/usage/month-glance";
import { prefetchUsagePage } from "@/lib/usage/usage-page";

export const metadata: Metadata = { title: "Inference providers" };

export default async function UserInferenceProvidersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const db = getDb();
  const accountId = user.billingAccount!.id;
  const queryClient = new QueryClient();
  const [page, locale, providers] = await Promise.all([
    prefetchUsagePage(db, queryClient, {
      accountId,
      billTo: null,
      searchParams: await searchParams,
      tables: ["model", "provider"],
    }),
    requestLocale(),
    db.provider.findMany({
      select: { id: true, displayName: true, billingIntegrated: true },
      orderBy: { displayName: "asc" },
    }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.providerKeys(),
      queryFn: async () => ({ keys: await listProviderKeys(db, user.id) }),
    }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.providerPreferences(),
      queryFn: () => getProviderPreferences(db, user.id),
    }),
  ]);
  const glance = await monthGlance(db, { accountId, now: page.now });

  return (
    <>
      <PageHeader
        title="Inference providers"
        description="What you spend by model and by provider, and the provider keys you bring yourself."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="flex flex-col gap-6">
          <Section title="This month at a glance">
            <MonthGlanceView glance={glance} locale={locale} isOrg={false} />
          </Section>
          <Section
            title="Usage breakdown"
            description="Your own usage (not what you bill to organizations), routed and with custom keys, side by side."
          >
            <UsageDashboard
              billTo={null}
              nowIso={page.nowIso}
              presets={page.presets}
              tables={["model", "provider"]}
              locale={locale}
              apiBase={page.apiBase}
            />
          </Section>
          <Section
            title="Custom provider keys"
            description="Requests made with your own key are billed by the provider directly; we charge nothing for them. Keys are encrypted and only their last 4 characters are shown."
          >
            <ProviderKeysManager providers={providers} />
          </Section>
          <Section
            title="Provider order"
            description="Which providers the router tries first for your requests."
          >
            <ProviderPreferences />
          </Section>
        </div>
      </HydrationBoundary>
    </>
  );
}
