import { abandon, settle, toAppError, type Dispatch, type RouterDeps } from "./chat";
import { estimateUsage } from "./request";
import { usageClasses, type UpstreamChunk, type UpstreamUsage } from "./upstream";

const frame = (d: Dispatch) => ({
  id: `chatcmpl-${d.id}`,
  created: Math.floor(d.now.getTime() / 1000),
  /** Which provider served it, so a caller who let the router choose can see. */
  model: `${d.offer.modelId}:${d.offer.providerId}`,
});

/** The answer's usage, in OpenAI's shape: every class as it was billed. */
const withTotal = (u: UpstreamUsage) => {
  const c = usageClasses(u);
  return {
    prompt_tokens: c.inputTokens,
    completion_tokens: c.outputTokens,
    total_tokens: c.inputTokens + c.outputTokens,
    prompt_tokens_details: { cached_tokens: c.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: c.reasoningTokens },
  };
};

/** A non-streamed completion: call the provider, settle, answer with the billed cost in `usage`. */
export async function completeChat(deps: RouterDeps, d: Dispatch) {
  const started = performance.now();
  let out;
  try {
    out = await d.route.upstream.complete(d.upstream);
  } catch (e) {
    await abandon(deps, d);
    throw toAppError(e);
  }
  const elapsedMs = performance.now() - started;
  const latencyMs = Math.ceil(elapsedMs);
  const usage =
    out.completion.usage ?? estimateUsage(d.call.request.messages, out.completion.choices.length ? 1 : 0);
  deps.throughput.record(d.offer.providerId, d.offer.modelId, usage.completion_tokens, elapsedMs);
  const cost = await settle(deps, d, usage, out.computeMs ?? latencyMs, { streamed: false, latencyMs });
  return {
    ...out.completion,
    ...frame(d),
    object: "chat.completion",
    usage: { ...withTotal(usage), cost },
  };
}

/**
 * A streamed completion as Server-Sent Events. The first chunk is awaited before answering, so
 * a provider that refuses or cannot be reached gets a real HTTP error. The provider's chunks
 * pass through; then the request is settled and a final chunk carries `usage` with the cost,
 * then `[DONE]`. A stream cut short is settled at what was produced: the provider's usage if it
 * sent one, else the prompt's estimate and one token per streamed delta (estimateUsage); a
 * caller who leaves before any text still pays for the prompt, a provider that fails before any
 * text is not paid.
 */
export async function streamChat(deps: RouterDeps, d: Dispatch): Promise<ReadableStream<Uint8Array>> {
  const started = performance.now();
  const chunks = d.route.upstream.stream(d.upstream)[Symbol.asyncIterator]();
  let next: IteratorResult<UpstreamChunk>;
  try {
    next = await chunks.next();
  } catch (e) {
    await abandon(deps, d);
    throw toAppError(e);
  }
  const encoder = new TextEncoder();
  const base = { ...frame(d), object: "chat.completion.chunk" };

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (data: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(
            encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`),
          );
        } catch {
          open = false; // the caller went away
        }
      };
      let usage: UpstreamUsage | null = null;
      let deltas = 0;
      let failure: unknown = null;
      try {
        while (!next.done) {
          const { usage: reported, ...chunk } = next.value;
          if (reported) usage = reported;
          if (chunk.choices?.length) {
            deltas += chunk.choices.filter((c) => c.delta?.content).length;
            send({ ...chunk, ...base });
          }
          next = await chunks.next();
        }
      } catch (e) {
        failure = e;
      }
      try {
        // Only a provider that failed before producing anything is not billed: a caller who
        // leaves has had the prompt read, whatever was delivered.
        if (failure && deltas === 0 && !d.call.signal.aborted) {
          await abandon(deps, d);
        } else {
          const settled = usage ?? estimateUsage(d.call.request.messages, deltas);
          const elapsedMs = performance.now() - started;
          // Only a stream that ran to its end says how fast the provider is.
          if (!failure)
            deps.throughput.record(d.offer.providerId, d.offer.modelId, settled.completion_tokens, elapsedMs);
          const latencyMs = Math.ceil(elapsedMs);
          const cost = await settle(deps, d, settled, latencyMs, { streamed: true, latencyMs });
          if (!failure) send({ ...base, choices: [], usage: { ...withTotal(settled), cost } });
        }
      } catch (e) {
        failure ??= e;
      }
      if (failure && !d.call.signal.aborted) {
        const err = toAppError(failure);
        send({
          error:
            err instanceof Error && "code" in err
              ? { code: err.code, message: err.message }
              : { code: "internal_error", message: "The stream failed on our side. Try again in a moment." },
        });
        if (!(err instanceof Error && "code" in err)) console.error("[router] stream failed", failure);
      } else if (!failure) {
        send("[DONE]");
      }
      if (open) controller.close();
    },
  });
}
