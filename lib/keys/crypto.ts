import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface KeyRing {
  /** New keys are sealed with this one. */
  current: { id: string; key: Buffer };
  /** Every key that may have sealed a stored value, by id (rotation keeps old ones readable). */
  byId: Map<string, Buffer>;
}

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/**
 * "id1:base64key,id2:base64key": the first is current. Each key is 32 bytes (AES-256).
 * Rotating: put a new key first and keep the old ones until every value is re-sealed.
 */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, b64] = entry.split(":");
      const key = Buffer.from(b64 ?? "", "base64");
      if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
        throw new Error("PROVIDER_KEY_ENCRYPTION_KEYS must be 'id:base64-of-32-bytes[,id:...]'.");
      }
      return [id, key] as const;
    });
  if (entries.length === 0) throw new Error("PROVIDER_KEY_ENCRYPTION_KEYS has no key.");
  const [id, key] = entries[0]!;
  return { current: { id, key }, byId: new Map(entries) };
}

/** AES-256-GCM with a fresh 96-bit IV; `context` (user and provider) is bound as associated data. */
export function seal(ring: KeyRing, plaintext: string, context: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: ring.current.id };
}

/** Decrypts, or throws if the value was tampered with, moved to another user, or its key is gone. */
export function open(ring: KeyRing, sealed: Sealed, context: string): string {
  const key = ring.byId.get(sealed.keyId);
  if (!key) throw new Error(`Encryption key ${sealed.keyId} is not configured.`);
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.authTag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
}
