/**
 * Where a card was issued decides whether we can take it: cards issued in India are not
 * supported yet (the billing FAQ says so). Written once, applied by every processor when a card
 * is saved, so the refusal and its words are the same whatever the processor.
 */
const UNSUPPORTED_CARD_COUNTRIES: Readonly<Record<string, string>> = { IN: "India" };

export const CARD_COUNTRY_UNSUPPORTED = "card_country_unsupported";

/** The refusal for a card issued in `country` (ISO 3166-1 alpha-2), or null when it is accepted. */
export function cardCountryRefusal(country: string | null | undefined) {
  const name = country ? UNSUPPORTED_CARD_COUNTRIES[country.toUpperCase()] : undefined;
  if (!name) return null;
  return {
    ok: false as const,
    code: CARD_COUNTRY_UNSUPPORTED,
    message: `We do not yet support cards issued in ${name}. Use a card issued in another country.`,
    retryable: false,
  };
}
