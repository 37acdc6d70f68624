import path from "node:path";
import { pathToFileURL } from "node:url";
import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";
import { API_CSP, apiSecurityHeaders, BASELINE_HEADERS, HSTS, newNonce, pageCsp } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d]));

describe("security headers", () => {
  it("next.config.mjs sets the same baseline on everything Next serves", async () => {
    const configUrl = pathToFileURL(path.resolve(import.meta.dirname, "../../next.config.mjs")).href;
    const { default: nextConfig } = (await import(configUrl)) as { default: NextConfig };
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    expect(Object.fromEntries(all!.headers.map((h) => [h.key, h.value]))).toEqual(BASELINE_HEADERS);
  });

  it("a page's scripts need this response's nonce; no inline script, no eval in production", () => {
    const csp = pageCsp({ nonce: "abc123", dev: false, https: false });
    const d = directives(csp);
    expect(d.get("script-src")).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(d.get("style-src")).toBe("style-src 'self' 'nonce-abc123'");
    expect(csp).not.toContain("unsafe-eval");
    for (const required of [
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ])
      expect(csp).toContain(required);
    expect(csp).not.toContain("upgrade-insecure-requests");
  });

  it("development allows eval and inline styles; HTTPS upgrades subresources", () => {
    expect(directives(pageCsp({ nonce: "n", dev: true, https: false })).get("script-src")).toContain(
      "'unsafe-eval'",
    );
    expect(pageCsp({ nonce: "n", dev: false, https: true })).toContain("upgrade-insecure-requests");
  });

  it("nonces are fresh and 128 bits", () => {
    const a = newNonce();
    expect(atob(a)).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });

  it("responses outside Next get the baseline and the API policy, HSTS only over HTTPS", () => {
    expect(apiSecurityHeaders(false)).toEqual({ ...BASELINE_HEADERS, "Content-Security-Policy": API_CSP });
    expect(apiSecurityHeaders(true)["Strict-Transport-Security"]).toBe(HSTS);
  });
});
