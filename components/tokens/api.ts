import { fetchJson } from "@/components/ui/fetch-json";
import type { TokenDto } from "@/lib/auth/tokens";

export const tokensApi = {
  list: () => fetchJson<{ tokens: TokenDto[] }>("/api/settings/tokens"),
  create: (name: string) =>
    fetchJson<{ token: string; record: TokenDto }>("/api/settings/tokens", {
      method: "POST",
      body: JSON.stringify({ name }),
    }),
  revoke: (id: string) =>
    fetchJson<void>(`/api/settings/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
