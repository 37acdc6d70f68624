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

const base = (org: string) => `/api/organizations/${encodeURIComponent(org)}`;

export const orgControlsApi = {
  spendingLimit: (org: string) => fetchJson<SpendingLimitDto>(`${base(org)}/spending-limit`),
  setSpendingLimit: (org: string, limitCents: number | null) =>
    fetchJson<SpendingLimitDto>(`${base(org)}/spending-limit`, {
      method: "PUT",
      body: JSON.stringify({ limitCents }),
    }),
  providers: (org: string) => fetchJson<{ providers: OrgProviderDto[] }>(`${base(org)}/providers`),
  setProviderEnabled: (org: string, provider: string, enabled: boolean) =>
    fetchJson<OrgProviderDto>(`${base(org)}/providers/${encodeURIComponent(provider)}`, {
      method: "PUT",
      body: JSON.stringify({ enabled }),
    }),
};
