import type { TokenDto } from "@/lib/auth/tokens";

/** Calls the JSON API; a non-2xx answer becomes an Error with the API's message. */
async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed (${res.status}). Try again.`);
  return body as T;
}

export const tokensApi = {
  list: () => call<{ tokens: TokenDto[] }>("/api/settings/tokens"),
  create: (name: string) =>
    call<{ token: string; record: TokenDto }>("/api/settings/tokens", {
      method: "POST",
      body: JSON.stringify({ name }),
    }),
  revoke: (id: string) => call<void>(`/api/settings/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
