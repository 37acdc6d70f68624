import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { promptTokenEstimate, type ChatMessage } from "./request";
import type { Upstream, UpstreamChunk, UpstreamCompletion, UpstreamRequest } from "./upstream";

const WORDS = (
  "the a router model token credit invoice provider request stream answer billing month limit " +
  "usage sandbox reply quick steady clear exact cost cents nano key org member plan settle hold"
).split(" ");

/** Milliseconds of compute the sandbox reports per token, for compute-priced providers. */
const MS_PER_TOKEN = 20;

/** Models the sandbox treats as reasoning models: half of each reply's tokens count as reasoning. */
const REASONING_MODELS = /deepseek-r1|qwq|gpt-oss|qwen3/i;

interface SandboxAnswer {
  content: string;
  promptTokens: number;
  /** Of promptTokens: every message before the last, as a provider's prefix cache would hold it. */
  cachedTokens: number;
  completionTokens: number;
  /** Of completionTokens: half, for REASONING_MODELS; none for the others. */
  reasoningTokens: number;
  computeMs: number;
}

/**
 * The built-in provider used when no platform credential is configured (outside production): it
 * answers deterministically from the request, so the whole product works offline and in tests.
 * Prompt tokens are promptTokenEstimate's (within the router's hold bound); the reply has
 * between 8 and 63 words, never more than max_tokens, one token each. So that every token class
 * is billed somewhere, a conversation of several messages reports the earlier ones as cached,
 * and reasoning models report half the reply as reasoning (both inside the totals, as OpenAI's).
 */
export function sandboxAnswer(body: Record<string, unknown>): SandboxAnswer {
  const messages = (body.messages as ChatMessage[]) ?? [];
  const promptTokens = promptTokenEstimate(messages);
  const digest = createHash("sha256")
    .update(JSON.stringify([body.model, messages]))
    .digest();
  const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? 64);
  const completionTokens = Math.min(maxTokens, 8 + (digest[0]! % 56));
  const words: string[] = [];
  for (let i = 0; i < completionTokens; i++)
    words.push(WORDS[digest[(i + 1) % digest.length]! % WORDS.length]!);
  return {
    content: words.join(" "),
    promptTokens,
    cachedTokens: promptTokenEstimate(messages.slice(0, -1)),
    completionTokens,
    reasoningTokens: REASONING_MODELS.test(String(body.model)) ? Math.floor(completionTokens / 2) : 0,
    computeMs: (promptTokens + completionTokens) * MS_PER_TOKEN,
  };
}

/**
 * Each sandbox provider's speed, in output tokens per second: stable and deterministic (from
 * its id), between 1,000 and 5,000, so `:fastest` has real differences to measure while an
 * answer of at most 63 tokens takes at most 63 ms.
 */
export function sandboxTokensPerSecond(providerId: string): number {
  return 1000 + (createHash("sha256").update(providerId).digest().readUInt16BE(0) % 4001);
}

/** The time the sandbox takes to generate an answer at its provider's speed. */
const generation = (providerId: string, a: SandboxAnswer) =>
  sleep((a.completionTokens * 1000) / sandboxTokensPerSecond(providerId));

const usage = (a: SandboxAnswer) => ({
  prompt_tokens: a.promptTokens,
  completion_tokens: a.completionTokens,
  total_tokens: a.promptTokens + a.completionTokens,
  prompt_tokens_details: { cached_tokens: a.cachedTokens },
  completion_tokens_details: { reasoning_tokens: a.reasoningTokens },
});

export const sandboxUpstream: Upstream = {
  async complete(req: UpstreamRequest) {
    const a = sandboxAnswer(req.body);
    await generation(req.providerId, a);
    const completion: UpstreamCompletion = {
      id: `sandbox-${req.providerId}`,
      choices: [{ index: 0, message: { role: "assistant", content: a.content }, finish_reason: "stop" }],
      usage: usage(a),
    };
    return { completion, computeMs: a.computeMs };
  },

  async *stream(req: UpstreamRequest): AsyncIterable<UpstreamChunk> {
    const a = sandboxAnswer(req.body);
    // The whole answer's time up front: timers are too coarse to pace each word.
    await generation(req.providerId, a);
    const words = a.content.split(" ");
    for (let i = 0; i < words.length; i++) {
      if (req.signal.aborted) return;
      yield { choices: [{ index: 0, delta: { content: (i ? " " : "") + words[i] }, finish_reason: null }] };
    }
    yield { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
    yield { choices: [], usage: usage(a) };
  },
};
