const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Where an invoice's usage comes from: the usage breakdown page over the invoice's period,
 * `from` inclusive and `to` exclusive, as in GET /api/billing/usage.
 */
export function usageBreakdownHref(input: {
  org: string | null;
  periodStart: Date;
  periodEnd: Date;
}): string {
  const base = input.org
    ? `/organizations/${encodeURIComponent(input.org)}/settings/inference-providers`
    : "/settings/inference-providers";
  return `${base}?from=${isoDay(input.periodStart)}&to=${isoDay(input.periodEnd)}`;
}
