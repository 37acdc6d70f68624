import { formatCount } from "@/components/usage/format";
import { formatCents, formatNano } from "@/lib/money/format";
import type { LimitPreviewDto, ProviderPreviewDto } from "./api";

const monthName = (month: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** "Nov 23, 14:05 UTC": the clock the limit resets by. */
export const formatUtcMinute = (iso: string, locale: string) =>
  `${new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  })
    .format(new Date(iso))
    .replace(/\s/gu, " ")} UTC`;

const plural = (n: number, word: string, locale: string) =>
  `${formatCount(n, locale)} ${word}${n === 1 ? "" : "s"}`;

/** The one-sentence verdict of a limit preview. */
export function limitPreviewSentence(p: LimitPreviewDto, locale: string): string {
  const limit = formatCents(p.limitCents, locale);
  const month = monthName(p.month, locale);
  if (p.requests === 0) return `There was no routed usage in ${month} to try a ${limit} limit on.`;
  if (!p.refused.firstAt)
    return `With a ${limit} limit in ${month}, no request would have been refused (${formatNano(BigInt(p.acceptedPaygNano), locale)} of pay-as-you-go).`;
  return `With a ${limit} limit in ${month}, requests would have been refused from ${formatUtcMinute(
    p.refused.firstAt,
    locale,
  )}: ${plural(p.refused.requests, "request", locale)}, ${formatNano(BigInt(p.refused.costNano), locale)}.`;
}

/** Part of a whole, as a percentage with one decimal, exact from BigInts ("12.3%"). */
export function share(part: bigint, whole: bigint, locale: string): string {
  if (whole === 0n) return new Intl.NumberFormat(locale, { style: "percent" }).format(0);
  const perMille = (part * 1000n + whole / 2n) / whole;
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(
    `${perMille / 1000n}.${(perMille % 1000n).toString().padStart(3, "0")}` as `${number}`,
  );
}

/** What the provider served of last month's traffic, in one sentence. */
export function providerShareSentence(p: ProviderPreviewDto, orgLabel: string, locale: string): string {
  const m = p.lastMonth;
  const month = monthName(m.month, locale);
  if (m.totalRequests === 0) return `${orgLabel} had no usage in ${month}.`;
  if (m.providerRequests === 0) return `${p.displayName} served none of ${orgLabel}'s requests in ${month}.`;
  return `In ${month}, ${p.displayName} served ${plural(m.providerRequests, "request", locale)} (${share(
    BigInt(m.providerRequests),
    BigInt(m.totalRequests),
    locale,
  )} of ${orgLabel}'s) costing ${formatNano(BigInt(m.providerCostNano), locale)} (${share(
    BigInt(m.providerCostNano),
    BigInt(m.totalCostNano),
    locale,
  )} of the cost).`;
}
