import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, parseKeyRing, seal } from "./crypto";

const k = () => randomBytes(32).toString("base64");

describe("provider key encryption", () => {
  it("round-trips, and never stores the plaintext", () => {
    const ring = parseKeyRing(`a:${k()}`);
    const sealed = seal(ring, "sk-live-abcdef123456", "user-1:together");
    expect(sealed.keyId).toBe("a");
    expect(sealed.ciphertext.toString("utf8")).not.toContain("abcdef");
    expect(open(ring, sealed, "user-1:together")).toBe("sk-live-abcdef123456");
  });

  it("refuses a value moved to another user or provider, or tampered with", () => {
    const ring = parseKeyRing(`a:${k()}`);
    const sealed = seal(ring, "secret-key-value", "user-1:together");
    expect(() => open(ring, sealed, "user-2:together")).toThrow();
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0]! ^= 1;
    expect(() => open(ring, { ...sealed, ciphertext: flipped }, "user-1:together")).toThrow();
  });

  it("rotates: new values use the first key, old ones stay readable", () => {
    const old = parseKeyRing(`v1:${k()}`);
    const sealedOld = seal(old, "old-secret", "c");
    const rotated = parseKeyRing(`v2:${k()},v1:${old.current.key.toString("base64")}`);
    expect(open(rotated, sealedOld, "c")).toBe("old-secret");
    expect(seal(rotated, "new-secret", "c").keyId).toBe("v2");
  });

  it("refuses a malformed key ring", () => {
    expect(() => parseKeyRing("nope")).toThrow(/PROVIDER_KEY_ENCRYPTION_KEYS/);
    expect(() => parseKeyRing(`a:${randomBytes(16).toString("base64")}`)).toThrow();
  });
});
