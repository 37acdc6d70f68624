import type http from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { errorResponse } from "@/lib/http/error-response";
import { MAX_BODY_BYTES, payloadTooLarge } from "@/lib/http/parse";

/**
 * The part of a fetch Request that the inference API reads. A real Request is one; so is what
 * serveLight builds straight from a Node request, without undici's Request constructor, which
 * costs more per request than the rest of the router's own work.
 */
export interface HttpRequest {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Answers a Node request with a fetch-style handler: a Request in (aborted when the client
 * goes away), the Response streamed out with `extraHeaders` added.
 */
export async function serveFetch(
  handler: (req: Request) => Promise<Response>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const { url, body, signal } = await receive(req, res);
  if (!body) return send(res, tooLarge(), extraHeaders);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const request = new Request(url, {
    method: req.method,
    headers,
    body: body.length && req.method !== "GET" && req.method !== "HEAD" ? body : undefined,
    signal,
  });
  await send(res, await handler(request), extraHeaders);
}

/** serveFetch for a handler that needs only an HttpRequest (the inference API's hot path). */
export async function serveLight(
  handler: (req: HttpRequest) => Promise<Response>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const { url, body, signal } = await receive(req, res);
  if (!body) return send(res, tooLarge(), extraHeaders);
  const request: HttpRequest = {
    method: req.method ?? "GET",
    url,
    headers: {
      get(name) {
        const v = req.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    signal,
    arrayBuffer: async () =>
      body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
  await send(res, await handler(request), extraHeaders);
}

async function receive(req: http.IncomingMessage, res: http.ServerResponse) {
  const aborter = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborter.abort();
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    // Past the bound the rest is read and dropped, so the 413 still reaches the client.
    if (size <= MAX_BODY_BYTES) chunks.push(c as Buffer);
  }
  return {
    url: new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`).href,
    body: size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null,
    signal: aborter.signal,
  };
}

const tooLarge = () => errorResponse(payloadTooLarge());

/** Writes a Response out: a stream piped as it comes, any other body in one write. */
async function send(res: http.ServerResponse, response: Response, extraHeaders: Record<string, string>) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  Object.assign(headers, extraHeaders);
  if (!response.body) return void res.writeHead(response.status, headers).end();
  if (!headers["content-type"]?.startsWith("text/event-stream")) {
    const body = Buffer.from(await response.arrayBuffer());
    return void res.writeHead(response.status, headers).end(body);
  }
  res.writeHead(response.status, headers);
  Readable.fromWeb(response.body as WebReadableStream).pipe(res);
}
