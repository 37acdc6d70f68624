import fc from "fast-check";
import type { RouteContract } from "@/lib/http/contract";
import { badTextAt, MAX_BODY_BYTES, readQuery } from "@/lib/http/parse";
import { ingestBodySchema } from "@/lib/usage/ingest";
import { usageEventSchema } from "@/lib/usage/event-schema";

/**
 * Malformed requests generated from the route contracts (lib/api/contracts): each starts from
 * the contract's own example, made to name this database's org and carry a real credential,
 * then has one part broken. `malformed` is the oracle: a request is kept only if the route's own
 * schemas refuse it, its text cannot reach the database, or its credential or size is wrong, so
 * every request sent must be answered 4xx and change nothing.
 */
export interface FuzzRequest {
  route: string;
  /** What was broken, for the failure report. */
  mutation: string;
  params: Record<string, string>;
  /** The query string as sent, escapes and all. */
  search: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface FuzzRoute {
  id: string;
  contract: RouteContract;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

/** The contract's example, pointed at the fixtures: their org, their credential. */
export function baseOf(
  id: string,
  contract: RouteContract,
  fixture: { orgName: string; userToken: string; serviceToken: string },
): FuzzRoute {
  const example = contract.example ?? {};
  const point = (values: unknown) =>
    Object.fromEntries(
      Object.entries((values ?? {}) as object).map(([k, v]) => [
        k,
        ["org", "billTo", "X-HF-Bill-To", "x-hf-bill-to"].includes(k) ? fixture.orgName : String(v),
      ]),
    );
  const token =
    contract.auth === "service"
      ? fixture.serviceToken
      : contract.auth === "public"
        ? null
        : fixture.userToken;
  return {
    id,
    contract,
    params: point(example.params),
    query: point(example.query),
    body: example.body,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...Object.fromEntries(Object.entries(point(example.headers)).map(([k, v]) => [k.toLowerCase(), v])),
    },
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const searchOf = (query: Record<string, string>) =>
  Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

/** Text no schema should see: NUL, halves of surrogate pairs. */
const badText = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udc00\ud800",
  "\u0000".repeat(64),
);

/** Strings of every kind, most of which some field refuses. */
const junkText = fc.oneof(
  badText,
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.constantFrom(
    "",
    " ",
    "../../etc/passwd",
    "..%2f..%2f",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\r\nSet-Cookie: x=1",
    "\u202e\u0301",
    "🙂".repeat(40),
    "x".repeat(100_000),
    "null",
    "__proto__",
    "0x10",
    "1e309",
    "-1",
    "NaN",
  ),
);

/** A literal written into the JSON text as is: what JSON.stringify cannot produce. */
const RAW_LITERALS = ["1e999", "-1e999", "-0", "123456789012345678901234567890", "1.5e-400", "0.1e1"];

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  junkText,
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1.5, -1, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 0),
  fc.constantFrom({}, [], [[[[]]]], JSON.parse('{"__proto__":{"admin":true}}') as unknown, {
    constructor: { prototype: { admin: true } },
  }),
  fc.constantFrom(...RAW_LITERALS).map((raw) => ({ $raw: raw })),
  fc.array(junkText, { maxLength: 3 }),
);

/** JSON text of `value`, with `{ $raw }` objects written as their literal. */
function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === "object" && "$raw" in v) {
      raws.push((v as { $raw: string }).$raw);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
}

/** Every path into a JSON value: [] is the whole of it. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

function setAt(value: unknown, path: (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = next;
  return copy;
}

/** Query values that parse leniently elsewhere, or not at all. */
const rawQueryValue = fc.oneof(
  fc.constantFrom(
    "0x10",
    "",
    "%207",
    "1e3",
    "-1",
    "1.5",
    "%2B3",
    "99999999999999999999",
    "0000-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13",
    "0000-01",
    "1900-01",
    "%00",
    "a%00b",
    "%ff%fe",
    "%c3",
    "%e2%82",
    "%ed%a0%80",
    "%",
    "%zz",
    "%2e%2e%2f",
    "x".repeat(5_000),
  ),
  junkText.map((s) => encodeURIComponent(badTextAt(s) === null ? s : "\u0000")),
);

const authorization = fc.constantFrom(
  "Bearer",
  "Bearer ",
  "Bearer x",
  "Bearer hf_",
  "Bearer " + "a".repeat(10_000),
  "Basic dXNlcjpwYXNz",
  "Token abc",
  "Bearer hf_\u00ff\u00fe",
  "Bearer  hf_two_spaces",
  "Bearer hf_a, Bearer hf_b",
);

/** Header values a proxy or a client might send: they must change nothing about the verdict. */
const oddHeaders = fc.constantFrom<Record<string, string>>(
  {},
  { "content-type": "text/plain" },
  { "content-type": "application/json; charset=latin1" },
  { "x-forwarded-for": "not-an-address, ::1, 999.1.1.1" },
  { "x-forwarded-host": "evil.example" },
  { origin: "null" },
  { "accept-encoding": "x".repeat(4_000) },
  { "x-hf-bill-to": "\u00ff\u00fe" },
);

/** One request for `route` with one part broken (and odd headers besides); `malformed` says if it is. */
export function brokenRequest(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  const { contract } = route;
  const base = (mutation: string, patch: Partial<FuzzRequest>): FuzzRequest => ({
    route: route.id,
    mutation,
    params: route.params,
    search: searchOf(route.query),
    headers: route.headers,
    body: route.body === undefined ? undefined : utf8(jsonText(route.body)),
    ...patch,
  });
  const paramNames = Object.keys(route.params);
  const queryNames = [
    ...new Set([...Object.keys(route.query), ...Object.keys(shapeOf(contract.query)), "unexpected"]),
  ];
  const bodyPaths = route.body === undefined ? [] : pathsOf(route.body);
  const choices: fc.Arbitrary<FuzzRequest>[] = [];
  if (contract.auth !== "public")
    choices.push(
      authorization.map((a) =>
        base(`authorization: ${a.slice(0, 40)}`, { headers: { ...route.headers, authorization: a } }),
      ),
    );
  if (paramNames.length)
    choices.push(
      fc
        .tuple(fc.constantFrom(...paramNames), fc.oneof(junkText, fc.constant(`nobody-${"z".repeat(8)}`)))
        .map(([name, value]) => base(`param ${name}`, { params: { ...route.params, [name]: value } })),
    );
  choices.push(
    fc.tuple(fc.constantFrom(...queryNames), rawQueryValue, fc.boolean()).map(([name, raw, alone]) =>
      base(`query ${name}=${raw.slice(0, 40)}`, {
        search: [alone ? "" : searchOf(route.query), `${encodeURIComponent(name)}=${raw}`]
          .filter(Boolean)
          .join("&"),
      }),
    ),
  );
  if (route.body !== undefined) {
    choices.push(
      fc.tuple(fc.constantFrom(...bodyPaths), jsonValue).map(([path, value]) =>
        base(`body ${path.join(".") || "(whole)"}`, {
          body: utf8(jsonText(setAt(route.body, path, value))),
        }),
      ),
      fc
        .tuple(fc.constantFrom("__proto__", "constructor", "prototype", "unexpected", "\u0000"), jsonValue)
        .map(([key, value]) => {
          const text = jsonText(route.body);
          const extra = `${JSON.stringify(key)}:${jsonText(value)}`;
          return base(`body key ${key}`, {
            body: utf8(text.startsWith("{") && text !== "{}" ? `{${extra},${text.slice(1)}` : `{${extra}}`),
          });
        }),
      fc
        .constantFrom(
          "{",
          '{"a":',
          "[1,]",
          "{'a':1}",
          "nul",
          "\u0000",
          "{}".padStart(3_000, "["),
          "1".repeat(400),
        )
        .map((text) => base(`body text ${text.slice(0, 20)}`, { body: utf8(text) })),
      fc
        .constantFrom(
          new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
          new Uint8Array([0xc3, 0x28]),
        )
        .map((bytes) => base("body bytes not UTF-8", { body: bytes })),
    );
  }
  if (contract.headers)
    choices.push(
      fc
        .oneof(
          fc.constantFrom("", " ", "a".repeat(200), "-x", "x--y", "..", "acme ai", "a,b", "nobody-zzzzzzzz"),
          fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
        )
        .map((value) =>
          base(`x-hf-bill-to: ${value.slice(0, 20)}`, {
            headers: { ...route.headers, "x-hf-bill-to": value },
          }),
        ),
    );
  return fc
    .tuple(fc.oneof(...choices), oddHeaders)
    .map(([r, odd]) => ({ ...r, headers: { ...r.headers, ...odd } }));
}

/** A body over the bound, for each route: the answer must be 413 before anything reads it. */
export function oversizedRequest(route: FuzzRoute): FuzzRequest {
  return {
    route: route.id,
    mutation: "body over the bound",
    params: route.params,
    search: searchOf(route.query),
    headers: route.headers,
    body: new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20),
  };
}

function shapeOf(schema: unknown): Record<string, unknown> {
  const s = schema as
    { shape?: Record<string, unknown>; def?: { in?: unknown; schema?: unknown } } | undefined;
  if (!s) return {};
  if (s.shape) return s.shape;
  return shapeOf(s.def?.in ?? s.def?.schema);
}

/**
 * The oracle: true when the route must refuse `r`. A request its schemas accept, with clean
 * text and the right credential, could well be served; the fuzzer does not send those.
 */
export function malformed(route: FuzzRoute, r: FuzzRequest): boolean {
  const { contract } = route;
  if (r.body && r.body.byteLength > MAX_BODY_BYTES) return true;
  if ((r.headers.authorization ?? "") !== (route.headers.authorization ?? "")) return true;
  if (badTextAt(r.params) !== null) return true;
  if (contract.params && !contract.params.safeParse(r.params).success) return true;
  if (r.params.org?.startsWith("nobody-")) return true; // an org that does not exist
  let query: Record<string, string>;
  try {
    query = readQuery(`http://x/?${r.search}`);
  } catch {
    return true;
  }
  if (contract.query && (badTextAt(query) !== null || !contract.query.safeParse(query).success)) return true;
  if (contract.headers) {
    // Blank bills the caller (a request that may be served); any other name than the fixture's
    // org is not an org name, or one that does not exist or that the caller does not belong to.
    const billTo = r.headers["x-hf-bill-to"]?.trim() || null;
    if (billTo !== null && billTo !== route.headers["x-hf-bill-to"]) return true;
  }
  if (contract.body) {
    let body: unknown;
    try {
      body = r.body?.byteLength
        ? JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(r.body))
        : undefined;
    } catch {
      return true;
    }
    if (badTextAt(body) !== null || !contract.body.safeParse(body).success) return true;
    if (contract.body === ingestBodySchema) {
      const { events } = body as { events: unknown[] };
      if (events.some((e) => !usageEventSchema.safeParse(e).success)) return true;
    }
  }
  return false;
}
