import { EventSourceParserStream } from "eventsource-parser/stream";
import {
  chunkSchema,
  completionSchema,
  UpstreamError,
  type Upstream,
  type UpstreamChunk,
  type UpstreamRequest,
} from "./upstream";

/** An OpenAI-compatible provider over HTTP(S). */
export const httpUpstream: Upstream = {
  async complete(req) {
    const res = await post(req, false);
    const parsed = completionSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw malformed(req.providerId);
    return { completion: parsed.data };
  },

  async *stream(req) {
    const res = await post(req, true);
    if (!res.body) throw malformed(req.providerId);
    const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    try {
      for await (const event of events) {
        if (event.data === "[DONE]") return;
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch {
          throw malformed(req.providerId);
        }
        const chunk = chunkSchema.safeParse(json);
        if (!chunk.success) throw malformed(req.providerId);
        yield chunk.data as UpstreamChunk;
      }
    } catch (e) {
      throw e instanceof UpstreamError ? e : failed(req, e);
    }
  },
};

async function post(req: UpstreamRequest, stream: boolean): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${req.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: stream ? "text/event-stream" : "application/json",
        authorization: `Bearer ${req.apiKey}`,
      },
      body: JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (e) {
    throw failed(req, e);
  }
  if (!res.ok) throw await refused(req.providerId, res);
  return res;
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
async function refused(providerId: string, res: Response): Promise<UpstreamError> {
  const text = await res.text().catch(() => "");
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
    upstreamStatus: res.status,
    ...(upstreamMessage ? { upstreamMessage } : {}),
  };
  if (res.status === 401 || res.status === 403) {
    return new UpstreamError(
      502,
      "upstream_auth_failed",
      `${providerId} refused the credential it was sent. If you stored your own ${providerId} key, check or replace it in your inference provider settings.`,
      details,
    );
  }
  if (res.status === 429) {
    return new UpstreamError(
      429,
      "upstream_rate_limited",
      `${providerId} is rate limiting requests. Retry after a short wait, or choose another provider.`,
      {
        ...details,
        retryAfter: res.headers.get("retry-after"),
      },
    );
  }
  if (res.status >= 400 && res.status < 500) {
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
    `${providerId} failed to answer (HTTP ${res.status}). Try again, or choose another provider.`,
    details,
  );
}
