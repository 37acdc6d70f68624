import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { AllowedModelsForm } from "@/components/org/allowed-models-form";
import { ProviderToggles } from "@/components/org/provider-toggles";
import { SpendingLimitForm } from "@/components/org/spending-limit-form";
import { ForecastView } from "@/components/usage/forecast-view";
import { MonthGlanceView } from "@/components/usage/month-glance";
import { SavingsTable } from "@/components/usage/savings-table";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import { EmptyState, PageHeader, Section } from "@/components/ui/section";
import { planBillable } from "@/lib/accounts/bill-to";
import { queryKeys } from "@/lib/api/query-keys";
import { requireOrgRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { requestLocale } from "@/lib/http/locale";
import { getAllowedModels, lastMonthModelUsage } from "@/lib/org-controls/allowed-models";
import { getSpendingLimit, listProviderSettings } from "@/lib/org-controls/controls";
import { monthForecast } from "@/lib/usage/month-forecast";
import { monthGlance } from "@/lib/usage/month-glance";
import { customKeySavings, savingsMonths } from "@/lib/usage/savings";
import { prefetchUsagePage } from "@/lib/api/prefetch-usage";

export const metadata: Metadata = { title: "Organization inference providers" };

export default async function OrgInferenceProvidersPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const access = await requireOrgRole(org, "read");
  const canEdit = access.role === "admin";
  const orgLabel = access.org.displayName;
  const header = (
    <PageHeader
      title={`${orgLabel} · Inference providers`}
      description="Usage billed to the organization, by model, provider and member, and the providers it allows."
    />
  );
  if (!planBillable(access.account.plan)) {
    return (
      <>
        {header}
        <EmptyState title="Usage and controls are for Team and Enterprise organizations">
          {orgLabel} is on the Free plan, so requests cannot be billed to it. An admin can upgrade it under
          Billing.
        </EmptyState>
      </>
    );
  }

  const db = getDb();
  const accountId = access.account.id;
  const queryClient = new QueryClient();
  const [page, locale, served] = await Promise.all([
    prefetchUsagePage(db, queryClient, {
      accountId,
      billTo: access.org.name,
      searchParams: await searchParams,
      tables: ["model", "provider", "member"],
    }),
    requestLocale(),
    db.providerModel.findMany({
      where: { active: true },
      select: { providerId: true, model: { select: { displayName: true } } },
      orderBy: { modelId: "asc" },
    }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.orgProviders(access.org.name),
      queryFn: async () => ({ providers: await listProviderSettings(db, accountId) }),
    }),
  ]);
  await queryClient.prefetchQuery({
    queryKey: queryKeys.spendingLimit(access.org.name),
    queryFn: () => getSpendingLimit(db, accountId, page.now),
  });
  const glance = await monthGlance(db, { accountId, now: page.now });
  const [forecast] = await Promise.all([
    monthForecast(db, { accountId, now: page.now, glance }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.savings(access.org.name),
      queryFn: () => customKeySavings(db, { accountId, months: savingsMonths(page.now, {}) }),
    }),
  ]);
  const [allowed, modelUsage, catalogModels] = await Promise.all([
    getAllowedModels(db, accountId),
    lastMonthModelUsage(db, { accountId, now: page.now }),
    db.model.findMany({ select: { id: true, displayName: true }, orderBy: { displayName: "asc" } }),
  ]);
  const modelsByProvider: Record<string, string[]> = {};
  for (const s of served) (modelsByProvider[s.providerId] ??= []).push(s.model.displayName);

  return (
    <>
      {header}
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="flex flex-col gap-6">
          <Section title="This month at a glance">
            <div className="flex flex-col gap-4">
              <MonthGlanceView glance={glance} locale={locale} isOrg />
              <ForecastView forecast={forecast} locale={locale} isOrg />
            </div>
          </Section>
          <Section
            title="Spending limit"
            description="A monthly cap on pay-as-you-go billed to the organization, for every member."
          >
            <SpendingLimitForm org={access.org.name} orgLabel={orgLabel} canEdit={canEdit} locale={locale} />
          </Section>
          <Section
            title="Usage breakdown"
            description={`Requests billed to ${orgLabel} (X-HF-Bill-To: ${access.org.name}), routed and with custom keys, side by side.`}
          >
            <UsageDashboard
              billTo={access.org.name}
              nowIso={page.nowIso}
              presets={page.presets}
              tables={["model", "provider", "member"]}
              locale={locale}
              apiBase={page.apiBase}
              forecast={forecast}
            />
          </Section>
          <Section
            title="Savings from your own keys"
            description={`Requests billed to ${orgLabel} that members made with their own provider keys: billed by the provider, not by us.`}
          >
            <SavingsTable billTo={access.org.name} locale={locale} />
          </Section>
          <Section
            title="Providers"
            description={
              canEdit
                ? "Switch off providers that requests billed to the organization may not use."
                : "Only admins can change which providers the organization allows."
            }
          >
            <ProviderToggles
              org={access.org.name}
              orgLabel={orgLabel}
              canEdit={canEdit}
              modelsByProvider={modelsByProvider}
              locale={locale}
            />
          </Section>
          <Section
            title="Models"
            description={
              canEdit
                ? "Restrict requests billed to the organization to some models; others are refused with model_not_allowed."
                : "Only admins can change which models the organization allows."
            }
          >
            <AllowedModelsForm
              org={access.org.name}
              orgLabel={orgLabel}
              canEdit={canEdit}
              models={catalogModels.map((m) => ({ id: m.id, name: m.displayName }))}
              initial={allowed.allowed}
              lastMonth={{
                month: modelUsage.month,
                usage: modelUsage.usage.map((u) => ({ ...u, costNano: u.costNano.toString() })),
              }}
              locale={locale}
            />
          </Section>
        </div>
      </HydrationBoundary>
    </>
  );
}
