/**
 * The security headers of every response. `BASELINE_HEADERS` is what next.config.mjs sets on
 * everything Next serves (a unit test keeps the two equal) and what `npm start` sets on `/v1`;
 * the CSP and HSTS depend on the request and are set by proxy.ts (and for `/v1` by the start
 * script).
 */
export const BASELINE_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY", // for browsers that predate frame-ancestors
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** Two years, subdomains included; sent only on responses that came over HTTPS. */
export const HSTS = "max-age=63072000; includeSubDomains";

/** JSON, PDFs and streams: nothing in them may load or run anything, or be framed. */
export const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** 128 random bits, fresh for every page response. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The policy of an HTML page. Scripts run only with this response's nonce (Next.js puts it on
 * its own scripts when it finds it in the request's CSP), plus what those scripts load
 * ('strict-dynamic'); no inline script, no eval outside development (React's dev build needs
 * eval for its error overlays). Style elements need the nonce too; style attributes stay allowed
 * (`style-src-attr`), because React renders `style={...}` as attributes (the progress bar,
 * recharts' containers) and an attribute cannot load or run anything under this policy.
 */
export function pageCsp({ nonce, dev, https }: { nonce: string; dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Dev mode injects style elements without a nonce (hot reloading).
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain HTTP (a local run) this would send the browser to an HTTPS port that is not there.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Paths that answer JSON, files or streams rather than HTML pages. */
export function isApiPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname.startsWith("/v1/");
}

/**
 * The headers of a response served outside Next.js (`/v1` in `npm start`): the baseline, the
 * API policy, and HSTS when the request came over HTTPS.
 */
export function apiSecurityHeaders(https: boolean): Record<string, string> {
  return {
    ...BASELINE_HEADERS,
    "Content-Security-Policy": API_CSP,
    ...(https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}
