import { fetchJson } from "@/components/ui/fetch-json";

export interface SpendingLimitDto {
  limitCents: number | null;
  spentCents: number;
  reservedCents: number;
  resetsAt: string;
}

export interface OrgProviderDto {
  id: string;
  displayName: string;
  billingIntegrated: boolean;
  enabled: boolean;
}

/** GET …/spending-limit/preview: last month replayed under a proposed limit (amounts in nano-dollars, as strings). */
export interface LimitPreviewDto {
  month: string;
  limitCents: number;
  requests: number;
  costNano: string;
  billedPaygNano: string;
  acceptedPaygNano: string;
  refused: { requests: number; costNano: string; firstAt: string | null };
  days: { day: string; requests: number; refusedRequests: number; refusedCostNano: string }[];
}

/** GET …/providers/{provider}/preview: what switching it off takes away. */
export interface ProviderPreviewDto {
  providerId: string;
  displayName: string;
  modelsLosingLastProvider: { id: string; name: string; lastMonthRequests: number }[];
  lastMonth: {
    month: string;
    providerRequests: number;
    providerCostNano: string;
    totalRequests: number;
    totalCostNano: string;
  };
}

const base = (org: string) => `/api/organizations/${encodeURIComponent(org)}`;

export const orgControlsApi = {
  spendingLimit: (org: string) => fetchJson<SpendingLimitDto>(`${base(org)}/spending-limit`),
  setSpendingLimit: (org: string, limitCents: number | null) =>
    fetchJson<SpendingLimitDto>(`${base(org)}/spending-limit`, {
      method: "PUT",
      body: JSON.stringify({ limitCents }),
    }),
  limitPreview: (org: string, limitCents: number) =>
    fetchJson<LimitPreviewDto>(`${base(org)}/spending-limit/preview?limitCents=${limitCents}`),
  providerPreview: (org: string, provider: string) =>
    fetchJson<ProviderPreviewDto>(`${base(org)}/providers/${encodeURIComponent(provider)}/preview`),
  providers: (org: string) => fetchJson<{ providers: OrgProviderDto[] }>(`${base(org)}/providers`),
  setAllowedModels: (org: string, allowed: string[] | null) =>
    fetchJson<{ allowed: string[] | null }>(`${base(org)}/models`, {
      method: "PUT",
      body: JSON.stringify({ allowed }),
    }),
  setProviderEnabled: (org: string, provider: string, enabled: boolean) =>
    fetchJson<OrgProviderDto>(`${base(org)}/providers/${encodeURIComponent(provider)}`, {
      method: "PUT",
      body: JSON.stringify({ enabled }),
    }),
};
