import http from "node:http";
import https from "node:https";
import { createParser } from "eventsource-parser";
import {
  chunkSchema,
  completionSchema,
  UpstreamError,
  type Upstream,
  type UpstreamChunk,
  type UpstreamRequest,
} from "./upstream";

/**
 * Keep-alive connections to each provider, reused across requests. node:http rather than fetch:
 * the same pooling at a fraction of the CPU per request, which on the request path is the
 * router's overhead.
 */
const agents: Record<string, http.Agent> = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

/** An OpenAI-compatible provider over HTTP(S). */
export const httpUpstream: Upstream = {
  async complete(req) {
    const res = await post(req, false);
    const text = await readText(res).catch((e: unknown) => {
      throw failed(req, e);
    });
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: malformed, below
    }
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) throw malformed(req.providerId);
    return { completion: parsed.data };
  },

  async *stream(req) {
    const res = await post(req, true);
    const data: string[] = [];
    const parser = createParser({ onEvent: (event) => data.push(event.data) });
    const decoder = new TextDecoder();
    let done = false;
    try {
      for await (const bytes of res) {
        if (done) continue; // read to the end, so the connection can be reused
        parser.feed(decoder.decode(bytes as Buffer, { stream: true }));
        for (const event of data.splice(0)) {
          if (event === "[DONE]") {
            done = true;
            break;
          }
          let json: unknown;
          try {
            json = JSON.parse(event);
          } catch {
            throw malformed(req.providerId);
          }
          const chunk = chunkSchema.safeParse(json);
          if (!chunk.success) throw malformed(req.providerId);
          yield chunk.data as UpstreamChunk;
        }
      }
    } catch (e) {
      throw e instanceof UpstreamError ? e : failed(req, e);
    }
  },
};

/** The provider's answer once its status is known: a success, or the mapped error. */
async function post(req: UpstreamRequest, stream: boolean): Promise<http.IncomingMessage> {
  const payload = JSON.stringify(req.body);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(`${req.baseUrl.replace(/\/+$/, "")}/chat/completions`);
    } catch (e) {
      return reject(failed(req, e));
    }
    const agent = agents[url.protocol];
    if (!agent) return reject(failed(req, new Error(`unsupported protocol ${url.protocol}`)));
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        agent,
        signal: req.signal,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          accept: stream ? "text/event-stream" : "application/json",
          authorization: `Bearer ${req.apiKey}`,
        },
      },
      resolve,
    );
    request.on("error", (e) => reject(failed(req, e)));
    request.end(payload);
  });
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw await refused(req.providerId, res);
  return res;
}

async function readText(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function failed(req: UpstreamRequest, e: unknown): UpstreamError {
  if (!req.signal.aborted) console.warn(`[router] ${req.providerId} unreachable:`, e);
  if (
    req.signal.aborted &&
    req.signal.reason instanceof DOMException &&
    req.signal.reason.name === "TimeoutError"
  ) {
    return new UpstreamError(
      504,
      "upstream_timeout",
      `${req.providerId} did not answer in time. Try again, or choose another provider with "model": "<model>:<provider>".`,
      { provider: req.providerId },
    );
  }
  if (req.signal.aborted) {
    return new UpstreamError(499, "client_closed_request", "The caller closed the request.", {
      provider: req.providerId,
    });
  }
  return new UpstreamError(
    502,
    "upstream_unreachable",
    `${req.providerId} could not be reached. Try again in a moment, or choose another provider.`,
    { provider: req.providerId },
  );
}

function malformed(providerId: string): UpstreamError {
  return new UpstreamError(
    502,
    "upstream_bad_response",
    `${providerId} sent a response that is not a valid chat completion. Try again, or choose another provider.`,
    {
      provider: providerId,
    },
  );
}

/** A provider's error status, mapped to what the caller can do about it. */
async function refused(providerId: string, res: http.IncomingMessage): Promise<UpstreamError> {
  const text = await readText(res).catch(() => "");
  const status = res.statusCode ?? 0;
  let upstreamMessage: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message);
    if (typeof m === "string") upstreamMessage = m.slice(0, 500);
  } catch {
    // not JSON: no message to pass on
  }
  const details = {
    provider: providerId,
    upstreamStatus: status,
    ...(upstreamMessage ? { upstreamMessage } : {}),
  };
  if (status === 401 || status === 403) {
    return new UpstreamError(
      502,
      "upstream_auth_failed",
      `${providerId} refused the credential it was sent. If you stored your own ${providerId} key, check or replace it in your inference provider settings.`,
      details,
    );
  }
  if (status === 429) {
    return new UpstreamError(
      429,
      "upstream_rate_limited",
      `${providerId} is rate limiting requests. Retry after a short wait, or choose another provider.`,
      {
        ...details,
        retryAfter: res.headers["retry-after"] ?? null,
      },
    );
  }
  if (status >= 400 && status < 500) {
    return new UpstreamError(
      400,
      "upstream_rejected",
      `${providerId} rejected the request${upstreamMessage ? `: ${upstreamMessage}` : "."}`,
      details,
    );
  }
  return new UpstreamError(
    502,
    "upstream_error",
    `${providerId} failed to answer (HTTP ${status}). Try again, or choose another provider.`,
    details,
  );
}
