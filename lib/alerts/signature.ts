import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The webhook signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the
 * endpoint's secret. Signing the time too lets a receiver refuse replays of old deliveries.
 */
export const SIGNATURE_HEADER = "x-billing-signature";

export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
}

/** What a receiver does: recompute the HMAC, compare in constant time, and bound the age. */
export function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  opts: { now: Date; toleranceSeconds: number },
): boolean {
  const parts = new Map(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(opts.now.getTime() / 1000 - t) > opts.toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, `${t}.${body}`), "hex");
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");
