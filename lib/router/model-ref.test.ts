import { describe, expect, it } from "vitest";
import { parseModelRef } from "./model-ref";

const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";

describe("parseModelRef", () => {
  it("splits an explicit provider off the model id", () => {
    expect(parseModelRef(`${LLAMA}:together`)).toEqual({
      modelId: LLAMA,
      providerId: "together",
      policy: null,
    });
  });
  it("reads :fastest, :cheapest and :preferred as policies, not providers", () => {
    for (const policy of ["fastest", "cheapest", "preferred"] as const)
      expect(parseModelRef(`${LLAMA}:${policy}`)).toEqual({ modelId: LLAMA, providerId: null, policy });
  });
  it("leaves a bare model id for the router to choose", () => {
    expect(parseModelRef(LLAMA)).toEqual({ modelId: LLAMA, providerId: null, policy: null });
  });
  it("treats a leading or trailing colon as part of the id, not an empty provider", () => {
    expect(parseModelRef("model:")).toEqual({ modelId: "model:", providerId: null, policy: null });
    expect(parseModelRef(":together")).toEqual({ modelId: ":together", providerId: null, policy: null });
  });
});
