import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "./parse";
import { serveLight } from "./serve-fetch";

let calls = 0;
const server = http.createServer((req, res) => {
  void serveLight(
    async (request) => {
      calls++;
      return new Response(String((await request.arrayBuffer()).byteLength));
    },
    req,
    res,
    { "x-extra": "1" },
  );
});
let url: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("serveLight", () => {
  it("hands the handler the body and adds the extra headers", async () => {
    const res = await fetch(url, { method: "POST", body: "x".repeat(1_000) });
    expect(await res.text()).toBe("1000");
    expect(res.headers.get("x-extra")).toBe("1");
  });

  it("answers a body over the bound with 413 and the error shape, without calling the handler", async () => {
    const before = calls;
    const res = await fetch(url, { method: "POST", body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x78) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(res.headers.get("x-extra")).toBe("1");
    expect(calls).toBe(before);
    // A body of exactly the bound still goes through.
    expect(
      await (await fetch(url, { method: "POST", body: Buffer.alloc(MAX_BODY_BYTES, 0x78) })).text(),
    ).toBe(String(MAX_BODY_BYTES));
  });
});
