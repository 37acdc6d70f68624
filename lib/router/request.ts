import { z } from "zod";

/** The most completion tokens one request may ask for, and what a request that names none gets. */
export const MAX_COMPLETION_TOKENS = 32_768;
export const DEFAULT_MAX_TOKENS = 4_096;

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z
    .union([z.string(), z.array(textPart)])
    .nullable()
    .optional(),
  name: z.string().max(200).optional(),
});

/**
 * An OpenAI chat completion request. The fields billing depends on are checked strictly;
 * other OpenAI parameters (top_p, stop, seed, tools, ...) pass through to the provider.
 */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(300),
  messages: z.array(message).min(1).max(10_000),
  max_tokens: z.number().int().min(1).max(MAX_COMPLETION_TOKENS).optional(),
  max_completion_tokens: z.number().int().min(1).max(MAX_COMPLETION_TOKENS).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.literal(1).optional(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = ChatCompletionRequest["messages"][number];

export function maxTokensOf(req: ChatCompletionRequest): number {
  return req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS;
}

export function messageText(m: ChatMessage): string {
  if (typeof m.content === "string") return m.content;
  return (m.content ?? []).map((p) => p.text).join("");
}

/** Tokens per message for the role and separators (OpenAI's chat format uses 3 to 4). */
const MESSAGE_OVERHEAD_TOKENS = 8;

/**
 * An upper bound of the prompt's tokens, to size the hold: a BPE token is at least one byte of
 * UTF-8 (byte-level tokenizers), so the byte count bounds the text, plus each message's framing.
 */
export function promptTokenBound(messages: ChatMessage[]): number {
  let bound = 0;
  for (const m of messages) {
    bound += Buffer.byteLength(messageText(m), "utf8") + MESSAGE_OVERHEAD_TOKENS;
  }
  return bound;
}

/** A prompt's tokens at about four bytes of UTF-8 each, plus 4 per message (never above the bound). */
export function promptTokenEstimate(messages: ChatMessage[]): number {
  let tokens = 0;
  for (const m of messages) tokens += Math.ceil(Buffer.byteLength(messageText(m), "utf8") / 4) + 4;
  return tokens;
}

/** Usage when a provider reports none (a stream cut short): one token per streamed delta. */
export function estimateUsage(messages: ChatMessage[], completionTokens: number) {
  return { prompt_tokens: promptTokenEstimate(messages), completion_tokens: completionTokens };
}
