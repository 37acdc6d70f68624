import { fetchJson } from "@/components/ui/fetch-json";
import type { SavingsWire } from "@/lib/usage/savings";
import type { BreakdownWire, GroupBy } from "@/lib/usage/wire";

export function fetchUsage(billTo: string | null, groupBy: GroupBy, from: string, to: string) {
  const params = new URLSearchParams({ groupBy, from, to });
  if (billTo) params.set("billTo", billTo);
  return fetchJson<BreakdownWire>(`/api/billing/usage?${params}`);
}

export function fetchSavings(billTo: string | null) {
  return fetchJson<SavingsWire>(`/api/billing/savings${billTo ? `?${new URLSearchParams({ billTo })}` : ""}`);
}
