/**
 * Integer cents from what a person types as dollars ("50", "1,250.5", "$12.05"), without a
 * float in between; null when it is not an amount with at most 2 decimals.
 */
export function parseDollarsToCents(input: string): number | null {
  const text = input.trim().replace(/^\$/, "").replaceAll(",", "").trim();
  const match = /^(\d{1,8})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}
