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
