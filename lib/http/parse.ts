import type { z } from "zod";
import { AppError } from "@/lib/kernel/errors";

/**
 * The most a request body may hold: the body is read whole before the handler (and its
 * authentication) runs, so without a bound anyone could make the server hold any amount. A full
 * ingestion batch is under 1 MB; a chat request with images a few.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export const payloadTooLarge = () =>
  new AppError(413, "payload_too_large", `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB.`);

/** What readJson reads: a fetch Request (streamed, bounded here) or a body serveLight already bounded. */
export interface BodySource {
  headers: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A declared length over the bound is refused before anything is read. */
export function refuseOversizedBody(req: { headers: { get(name: string): string | null } }): void {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw payloadTooLarge();
}

async function readBytes(req: BodySource): Promise<Uint8Array> {
  refuseOversizedBody(req);
  if (!req.body) return new Uint8Array(await req.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw payloadTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The request body as JSON: over the bound is a 413, bytes that are not UTF-8 or not JSON a 400. */
export async function readJson(req: BodySource): Promise<unknown> {
  const bytes = await readBytes(req);
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new AppError(400, "invalid_input", "The request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

/**
 * The query string as name → value, decoded strictly: a percent-escape that is not UTF-8 is a
 * 400 (URLSearchParams would quietly turn it into U+FFFD and pass it on).
 */
export function readQuery(url: string): Record<string, string> {
  const search = new URL(url).search.slice(1);
  const query: Record<string, string> = {};
  for (const pair of search ? search.split("&") : []) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const [name, value] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    query[decodeComponent(name)] = decodeComponent(value);
  }
  return query;
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw new AppError(400, "invalid_input", "The query string has a percent-escape that is not UTF-8.");
  }
}

/**
 * The first place in a request part where text cannot go on to the database: a NUL (PostgreSQL
 * refuses it in text) or half of a UTF-16 surrogate pair (not a character: it has no UTF-8).
 * Keys count as text too.
 */
export function badTextAt(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === "string") return hasBadText(value) ? path.join(".") : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = badTextAt(value[i], [...path, i]);
      if (at !== null) return at;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (hasBadText(k)) return [...path, "(key)"].join(".");
      const at = badTextAt(v, [...path, k]);
      if (at !== null) return at;
    }
  }
  return null;
}

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const hasBadText = (s: string) => BAD_TEXT.test(s);

/**
 * Validates a request part with its zod schema; every issue goes into one 400. Text that no
 * schema should have to think about (NUL, broken surrogates) is refused first, for every field.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const bad = badTextAt(value, [where]);
  if (bad !== null) {
    throw new AppError(
      400,
      "invalid_input",
      `The request ${where} has a NUL character or text that is not valid Unicode (at ${bad}).`,
      { path: bad },
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new AppError(400, "invalid_request", `The request ${where} is invalid. ${summary}`, { issues });
}
