import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../playwright.config";
import { demo } from "./fixtures";

// What reaches the server before any route does (issue 18): the request target as sent, headers
// Node cannot take, bodies over the bound. Raw HTTP, so nothing normalises the path on the way.
function raw(
  method: string,
  target: string,
  opts: { headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: { error?: { code: string } } | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: E2E_PORT, method, path: target, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            /* not JSON: the assertion says so */
          }
          resolve({ status: res.statusCode!, headers: res.headers, json });
        });
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const expectApiError = (res: Awaited<ReturnType<typeof raw>>, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toContain("application/json");
  expect(res.json?.error?.code).toBe(code);
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
};

test.describe("the request boundary of npm start", () => {
  test("bad paths are the API's JSON errors with the security headers, never HTML or bare text", async () => {
    expectApiError(await raw("GET", "/api/billing/invoices/%ff%fe"), 400, "invalid_input");
    expectApiError(await raw("GET", "/api/organizations/%00/spending-limit"), 400, "invalid_input");
    expectApiError(await raw("GET", "/api/billing/../../etc/passwd"), 404, "not_found");
    expectApiError(await raw("GET", "/api/nothing-here"), 404, "not_found");
    expectApiError(await raw("POST", "/api/usage/events?x=%ff"), 400, "invalid_input");
    const patch = await raw("PATCH", "/api/billing/usage");
    expectApiError(patch, 405, "method_not_allowed");
    expect(patch.headers.allow).toBe("GET, HEAD");
  });

  test("headers over 16 KB are a JSON 431 with the security headers, not an empty answer", async () => {
    expectApiError(
      await raw("GET", "/api/billing/usage", { headers: { "x-big": "a".repeat(20_000) } }),
      431,
      "headers_too_large",
    );
  });

  test("a 50 MB body is 413 on a JSON route and on the inference API", async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const headers = { "content-type": "application/json", authorization: `Bearer ${demo().users[0]!.token}` };
    expectApiError(
      await raw("PUT", "/api/settings/alert-webhook", { headers, body }),
      413,
      "payload_too_large",
    );
    expectApiError(await raw("POST", "/v1/chat/completions", { headers, body }), 413, "payload_too_large");
  });

  test("/v1 answers say no-store", async () => {
    const res = await raw("GET", "/v1/models", {
      headers: { authorization: `Bearer ${demo().users[0]!.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});
