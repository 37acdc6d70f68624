/**
 * The client's IP as the server saw it. The start script (scripts/start.ts) overwrites
 * X-Forwarded-For with the socket address unless TRUST_PROXY is on, in which case the last
 * hop (the one our own proxy appended) is the client.
 */
export function clientIp(headers: Record<string, string | string[] | undefined> | Headers): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const hops = value
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops.at(-1) ?? "unknown";
}
