import { createHash } from "node:crypto";
import { promptTokenEstimate, type ChatMessage } from "./request";
import type { Upstream, UpstreamChunk, UpstreamCompletion, UpstreamRequest } from "./upstream";

const WORDS = (
  "the a router model token credit invoice provider request stream answer billing month limit " +
  "usage sandbox reply quick steady clear exact cost cents nano key org member plan settle hold"
).split(" ");

/** Milliseconds of compute the sandbox reports per token, for compute-priced providers. */
const MS_PER_TOKEN = 20;

interface SandboxAnswer {
  content: string;
  promptTokens: number;
  completionTokens: number;
  computeMs: number;
}

/**
 * The built-in provider used when no platform credential is configured (outside production): it
 * answers deterministically from the request, so the whole product works offline and in tests.
 * Prompt tokens are promptTokenEstimate's (within the router's hold bound); the reply has
 * between 8 and 63 words, never more than max_tokens, one token each.
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
    completionTokens,
    computeMs: (promptTokens + completionTokens) * MS_PER_TOKEN,
  };
}

const usage = (a: SandboxAnswer) => ({
  prompt_tokens: a.promptTokens,
  completion_tokens: a.completionTokens,
  total_tokens: a.promptTokens + a.completionTokens,
});

export const sandboxUpstream: Upstream = {
  async complete(req: UpstreamRequest) {
    const a = sandboxAnswer(req.body);
    const completion: UpstreamCompletion = {
      id: `sandbox-${req.providerId}`,
      choices: [{ index: 0, message: { role: "assistant", content: a.content }, finish_reason: "stop" }],
      usage: usage(a),
    };
    return { completion, computeMs: a.computeMs };
  },

  async *stream(req: UpstreamRequest): AsyncIterable<UpstreamChunk> {
    const a = sandboxAnswer(req.body);
    const words = a.content.split(" ");
    for (let i = 0; i < words.length; i++) {
      if (req.signal.aborted) return;
      yield { choices: [{ index: 0, delta: { content: (i ? " " : "") + words[i] }, finish_reason: null }] };
    }
    yield { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] };
    yield { choices: [], usage: usage(a) };
  },
};
