import { fetchJson } from "@/components/ui/fetch-json";

export interface ProviderKeyDto {
  providerId: string;
  last4: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderPreferencesDto {
  providers: string[];
  catalog: { id: string; displayName: string }[];
}

const keyPath = (provider: string) => `/api/settings/provider-keys/${encodeURIComponent(provider)}`;

export const providerKeysApi = {
  list: () => fetchJson<{ keys: ProviderKeyDto[] }>("/api/settings/provider-keys"),
  save: (provider: string, key: string) =>
    fetchJson<{ key: ProviderKeyDto }>(keyPath(provider), { method: "PUT", body: JSON.stringify({ key }) }),
  remove: (provider: string) => fetchJson<void>(keyPath(provider), { method: "DELETE" }),
};

export const providerPreferencesApi = {
  get: () => fetchJson<ProviderPreferencesDto>("/api/settings/provider-preferences"),
  save: (providers: string[]) =>
    fetchJson<ProviderPreferencesDto>("/api/settings/provider-preferences", {
      method: "PUT",
      body: JSON.stringify({ providers }),
    }),
};

export interface ProviderSwitchDto {
  id: string;
  displayName: string;
  billingIntegrated: boolean;
  enabled: boolean;
}

export const providerSwitchesApi = {
  list: () => fetchJson<{ providers: ProviderSwitchDto[] }>("/api/settings/providers"),
  set: (provider: string, enabled: boolean) =>
    fetchJson<ProviderSwitchDto>(`/api/settings/providers/${encodeURIComponent(provider)}`, {
      method: "PUT",
      body: JSON.stringify({ enabled }),
    }),
};
