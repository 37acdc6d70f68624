const formatters = new Map<string, Intl.NumberFormat>();

function usd(locale: string, maxDigits: number, minDigits = 2): Intl.NumberFormat {
  const key = `${locale}|${maxDigits}|${minDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: "USD",
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    });
    formatters.set(key, f);
  }
  return f;
}

/** An exact decimal string of `units / 10^scale`: Intl formats it without a float in between. */
function decimal(units: bigint, scale: number): `${number}` {
  const sign = units < 0n ? "-" : "";
  const abs = units < 0n ? -units : units;
  const base = 10n ** BigInt(scale);
  return `${sign}${abs / base}.${(abs % base).toString().padStart(scale, "0")}` as `${number}`;
}

/** "$12.50" from 1250 cents: how invoice and setting amounts are shown. */
export function formatCents(cents: number | bigint, locale = "en-US"): string {
  return usd(locale, 2).format(decimal(BigInt(cents), 2));
}

/**
 * Usage amounts from nano-dollars, to a hundredth of a cent ("$0.0012"), rounded half up.
 * `fixedDigits` keeps all 4 decimals ("$1.2890"), so amounts line up in table columns.
 */
export function formatNano(nano: bigint, locale = "en-US", fixedDigits = false): string {
  const step = 100_000n; // 1e-4 USD
  const abs = nano < 0n ? -nano : nano;
  const units = ((abs + step / 2n) / step) * (nano < 0n ? -1n : 1n);
  return usd(locale, 4, fixedDigits ? 4 : 2).format(decimal(units, 4));
}

/** US dollars from nano-dollars as an exact decimal string ("0.0012"), for APIs: never a float. */
export function nanoToUsd(nano: bigint): string {
  return decimal(nano, 9).replace(/0+$/, "").replace(/\.$/, ".0");
}
