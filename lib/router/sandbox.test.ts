import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sandboxAnswer } from "./sandbox";
import { maxTokensOf, promptTokenBound, type ChatMessage } from "./request";

const messages = fc.array(
  fc.record({
    role: fc.constantFrom("system" as const, "user" as const, "assistant" as const),
    content: fc.string({ unit: "binary", maxLength: 400 }),
  }),
  { minLength: 1, maxLength: 8 },
);

describe("the sandbox provider", () => {
  it("answers the same request the same way, and a different one differently", () => {
    const a = sandboxAnswer({ model: "m", messages: [{ role: "user", content: "hello" }], max_tokens: 64 });
    expect(
      sandboxAnswer({ model: "m", messages: [{ role: "user", content: "hello" }], max_tokens: 64 }),
    ).toEqual(a);
    expect(
      sandboxAnswer({ model: "m", messages: [{ role: "user", content: "hello!" }], max_tokens: 64 }),
    ).not.toEqual(a);
    expect(a.content.split(" ")).toHaveLength(a.completionTokens);
  });

  it("stays within the router's hold: prompt within the byte bound, completion within max_tokens", () => {
    fc.assert(
      fc.property(messages, fc.integer({ min: 1, max: 100 }), (msgs, max) => {
        const request = { model: "m", messages: msgs as ChatMessage[], max_tokens: max };
        const a = sandboxAnswer(request);
        expect(a.promptTokens).toBeLessThanOrEqual(promptTokenBound(request.messages));
        expect(a.completionTokens).toBeLessThanOrEqual(maxTokensOf(request));
        expect(a.completionTokens).toBeGreaterThan(0);
      }),
    );
  });
});

describe("the sandbox's token classes", () => {
  const turn = (role: "user" | "assistant", content: string) => ({ role, content });

  it("reports the messages before the last as cached, inside the prompt", () => {
    const one = sandboxAnswer({ model: "m", messages: [turn("user", "hello")] });
    expect(one.cachedTokens).toBe(0);
    const three = sandboxAnswer({
      model: "m",
      messages: [turn("user", "hello"), turn("assistant", "hi there"), turn("user", "bye")],
    });
    // ceil(5/4)+4 and ceil(8/4)+4 of the messages' 6 + 6 + 5 (ceil(3/4)+4)
    expect(three.cachedTokens).toBe(12);
    expect(three.promptTokens).toBe(17);
  });

  it("reports half the reply as reasoning for reasoning models only, inside the completion", () => {
    const messages = [turn("user", "think")];
    const r1 = sandboxAnswer({ model: "deepseek-ai/DeepSeek-R1", messages });
    expect(r1.reasoningTokens).toBe(Math.floor(r1.completionTokens / 2));
    expect(r1.reasoningTokens).toBeGreaterThan(0);
    expect(sandboxAnswer({ model: "meta-llama/Llama-3.3-70B-Instruct", messages }).reasoningTokens).toBe(0);
  });

  it("keeps every class within its total", () => {
    fc.assert(
      fc.property(messages, fc.constantFrom("m", "openai/gpt-oss-20b"), (msgs, model) => {
        const a = sandboxAnswer({ model, messages: msgs as ChatMessage[] });
        expect(a.cachedTokens).toBeLessThanOrEqual(a.promptTokens);
        expect(a.reasoningTokens).toBeLessThanOrEqual(a.completionTokens);
      }),
    );
  });
});
