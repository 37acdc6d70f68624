import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/kernel/errors";
import { MAX_BODY_BYTES, badTextAt, parse, readJson, readQuery } from "./parse";

const codeOf = async (f: () => unknown) => {
  try {
    await f();
    return null;
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
};

describe("the request boundary", () => {
  it("finds NUL and broken surrogates in values and keys, at any depth", () => {
    expect(badTextAt({ a: ["ok", "x\u0000y"] }, ["body"])).toBe("body.a.1");
    expect(badTextAt({ ["k\u0000"]: 1 })).toBe("(key)");
    expect(badTextAt("\ud800")).toBe("");
    expect(badTextAt("a\udfffb")).toBe("");
    expect(badTextAt({ fine: "émoji 😀 \u00ff" })).toBeNull();
  });

  it("refuses them before the schema, even where the schema would take any string", async () => {
    expect(await codeOf(() => parse(z.object({ name: z.string() }), { name: "a\u0000b" }, "body"))).toBe(
      "400 invalid_input",
    );
    expect(parse(z.object({ name: z.string() }), { name: "a b" }, "body")).toEqual({ name: "a b" });
  });

  it("reads query strings strictly: an escape that is not UTF-8 is a 400, not U+FFFD", async () => {
    expect(readQuery("http://x/p?from=2026-11-01&billTo=acme%20ai&q=a+b&flag")).toEqual({
      from: "2026-11-01",
      billTo: "acme ai",
      q: "a b",
      flag: "",
    });
    expect(await codeOf(() => readQuery("http://x/p?billTo=%ff%fe"))).toBe("400 invalid_input");
    expect(readQuery("http://x/p?billTo=%00").billTo).toBe("\u0000"); // parse() then refuses it
  });

  it("reads bodies as strict UTF-8, bounded by MAX_BODY_BYTES whether declared or streamed", async () => {
    const request = (body: BodyInit, headers: Record<string, string> = {}) =>
      new Request("http://x/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
    expect(await readJson(request('{"a":"é"}'))).toEqual({ a: "é" });
    expect(await codeOf(() => readJson(request(new Uint8Array([0x7b, 0xff, 0x7d]))))).toBe(
      "400 invalid_input",
    );
    expect(await codeOf(() => readJson(request("{nope")))).toBe("400 invalid_json");
    expect(
      await codeOf(() => readJson(request("{}", { "content-length": String(MAX_BODY_BYTES + 1) }))),
    ).toBe("413 payload_too_large");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 17; i++) c.enqueue(new Uint8Array(1024 * 1024));
        c.close();
      },
    });
    expect(await codeOf(() => readJson(request(stream)))).toBe("413 payload_too_large");
  });
});
