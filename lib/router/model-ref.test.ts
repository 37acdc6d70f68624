import { describe, expect, it } from "vitest";
import { parseModelRef } from "./model-ref";

describe("parseModelRef", () => {
  it("splits an explicit provider off the model id", () => {
    expect(parseModelRef("meta-llama/Llama-3.3-70B-Instruct:together")).toEqual({
      modelId: "meta-llama/Llama-3.3-70B-Instruct",
      providerId: "together",
    });
  });
  it("leaves a bare model id for the router to choose", () => {
    expect(parseModelRef("meta-llama/Llama-3.3-70B-Instruct")).toEqual({
      modelId: "meta-llama/Llama-3.3-70B-Instruct",
      providerId: null,
    });
  });
  it("treats a leading or trailing colon as part of the id, not an empty provider", () => {
    expect(parseModelRef("model:")).toEqual({ modelId: "model:", providerId: null });
    expect(parseModelRef(":together")).toEqual({ modelId: ":together", providerId: null });
  });
});
