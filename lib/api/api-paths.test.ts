import { describe, expect, it } from "vitest";
import { apiRequestProblem } from "./api-paths";

const problem = (method: string, target: string) => {
  const p = apiRequestProblem(method, target);
  return p ? `${p.status} ${p.code}` : null;
};

describe("API paths checked before any handler", () => {
  it("lets every documented path and method through, and next-auth's own", () => {
    expect(problem("GET", "/api/billing/usage?from=2026-11-01")).toBeNull();
    expect(problem("HEAD", "/api/billing/usage")).toBeNull();
    expect(problem("PUT", "/api/organizations/acme-ai/spending-limit")).toBeNull();
    expect(problem("GET", "/api/billing/invoices/INV-202611-000001/pdf")).toBeNull();
    expect(problem("POST", "/v1/chat/completions")).toBeNull();
    expect(problem("POST", "/api/auth/callback/credentials")).toBeNull();
  });

  it("answers bad escapes, NUL, dot segments, unknown paths and wrong methods as JSON errors", () => {
    expect(problem("GET", "/api/billing/invoices/%ff%fe")).toBe("400 invalid_input");
    expect(problem("GET", "/api/organizations/%00/spending-limit")).toBe("400 invalid_input");
    expect(problem("GET", "/api/billing/../../etc/passwd")).toBe("404 not_found");
    expect(problem("GET", "/api/billing/%2e%2e/usage")).toBe("404 not_found");
    expect(problem("GET", "/api/nothing")).toBe("404 not_found");
    expect(problem("GET", "/v1/nothing")).toBe("404 not_found");
    expect(problem("PATCH", "/api/billing/usage")).toBe("405 method_not_allowed");
    expect(apiRequestProblem("PATCH", "/api/billing/usage")?.details.allow).toEqual(["GET", "HEAD"]);
  });
});
