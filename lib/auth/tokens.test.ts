import { describe, expect, it } from "vitest";
import { generateToken, hashToken } from "./tokens";

describe("access tokens", () => {
  it("are long, random and prefixed", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^hf_[A-Za-z0-9_-]{40}$/);
    expect(a).not.toBe(b);
  });

  it("are stored as a SHA-256 that does not contain the token", () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(3));
    expect(hashToken(token)).toBe(hash);
  });
});
