import { fetchJson } from "@/components/ui/fetch-json";
import type { TokenDto } from "@/lib/auth/tokens";
import type { LimitReset } from "@/lib/auth/token-window";

type Limit = { limitCents: number | null; limitReset: LimitReset | null };

export const tokensApi = {
  list: () => fetchJson<{ tokens: TokenDto[] }>("/api/settings/tokens"),
  create: (input: { name: string; expiresAt: string | null; permissions: string[] } & Partial<Limit>) =>
    fetchJson<{ token: string; record: TokenDto }>("/api/settings/tokens", {
      method: "POST",
      body: JSON.stringify(input),
    }),
  setLimit: (id: string, limit: Limit) =>
    fetchJson<Limit>(`/api/settings/tokens/${encodeURIComponent(id)}/limit`, {
      method: "PUT",
      body: JSON.stringify(limit.limitCents === null ? { limitCents: null } : limit),
    }),
  revoke: (id: string) =>
    fetchJson<void>(`/api/settings/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
