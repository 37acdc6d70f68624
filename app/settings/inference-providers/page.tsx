import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { ProviderKeysManager } from "@/components/keys/provider-keys-manager";
import { ProviderPreferences } from "@/components/keys/provider-preferences";
import { ProviderSwitches } from "@/components/keys/provider-switches";
import { ForecastView } from "@/components/usage/forecast-view";
import { MonthGlanceView } from "@/components/usage/month-glance";
import { SavingsTable } from "@/components/usage/savings-table";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { PageHeader, Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/http/locale";
import { listProviderKeys } from "@/lib/keys/provider-keys";
import { getProviderPreferences } from "@/lib/keys/provider-preferences";
import { listProviderSwitches } from "@/lib/keys/provider-switches";
import { monthForecast } from "@/lib/usage/month-forecast";
import { monthGlance } from "@/lib/usage/month-glance";
import { customKeySavings, savingsMonths } from "@/lib/usage/savings";
import { prefetchUsagePage } from "@/lib/api/prefetch-usage";
import type { GroupBy } from "@/lib/usage/wire";

export const metadata: Metadata = { title: "Inference providers" };

/** The breakdowns shown beside the daily chart: the caller's own usage by model, provider and access token. */
const TABLES: Exclude<GroupBy, "day">[] = ["model", "provider", "token"];

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
      tables: TABLES,
      tokensOf: user.id,
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
    queryClient.prefetchQuery({
      queryKey: queryKeys.providerSwitches(),
      queryFn: () => listProviderSwitches(db, user.id),
    }),
  ]);
  const glance = await monthGlance(db, { accountId, now: page.now });
  const [forecast] = await Promise.all([
    monthForecast(db, { accountId, now: page.now, glance }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.savings(null),
      queryFn: () => customKeySavings(db, { accountId, months: savingsMonths(page.now, {}) }),
    }),
  ]);

  return (
    <>
      <PageHeader
        title="Inference providers"
        description="What you spend by model and by provider, and the provider keys you bring yourself."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="flex flex-col gap-6">
          <Section title="This month at a glance">
            <div className="flex flex-col gap-4">
              <MonthGlanceView glance={glance} locale={locale} isOrg={false} />
              <ForecastView forecast={forecast} locale={locale} isOrg={false} />
            </div>
          </Section>
          <Section
            title="Usage breakdown"
            description="Your own usage (not what you bill to organizations), routed and with custom keys, side by side."
          >
            <UsageDashboard
              billTo={null}
              nowIso={page.nowIso}
              presets={page.presets}
              tables={TABLES}
              locale={locale}
              apiBase={page.apiBase}
              forecast={forecast}
            />
          </Section>
          <Section
            title="Savings from your own keys"
            description="Your own requests made with your custom keys: billed by the provider, not by us."
          >
            <SavingsTable billTo={null} locale={locale} />
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
          <Section
            title="Providers you use"
            description="Switch a provider off and the router never sends your requests to it, wherever they are billed; naming it gets provider_disabled."
          >
            <ProviderSwitches />
          </Section>
        </div>
      </HydrationBoundary>
    </>
  );
}
