import { fetchJson } from "@/components/ui/fetch-json";
import type { TokenDto } from "@/lib/auth/tokens";

export const tokensApi = {
  list: () => fetchJson<{ tokens: TokenDto[] }>("/api/settings/tokens"),
  create: (input: { name: string; expiresAt: string | null; permissions: string[] }) =>
    fetchJson<{ token: string; record: TokenDto }>("/api/settings/tokens", {
      method: "POST",
      body: JSON.stringify(input),
    }),
  revoke: (id: string) =>
    fetchJson<void>(`/api/settings/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
