/** JSON for API bodies: BigInt amounts (nano-dollars) become decimal strings, never lossy numbers. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const text = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(text, { ...init, headers });
}

/** A value as it reads after a trip through jsonResponse (BigInt as strings): what a page hands to client caches. */
export function asJson<T>(value: unknown): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as T;
}
