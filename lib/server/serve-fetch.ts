import type http from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

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
  const aborter = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborter.abort();
  });
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) headers.append(k, value);
  }
  const response = await handler(
    new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
      method: req.method,
      headers,
      body:
        chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined,
      signal: aborter.signal,
    }),
  );
  const outHeaders = new Headers(response.headers);
  for (const [k, v] of Object.entries(extraHeaders)) outHeaders.set(k, v);
  res.writeHead(response.status, Object.fromEntries(outHeaders));
  if (!response.body) return void res.end();
  Readable.fromWeb(response.body as WebReadableStream).pipe(res);
}
