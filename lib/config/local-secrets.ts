import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const secretsSchema = z.object({
  authSecret: z.string().min(32),
  postgresPassword: z.string().min(16),
  /** AES-256 key (base64) for provider keys at rest, used when PROVIDER_KEY_ENCRYPTION_KEYS is unset. */
  providerKeyEncryptionKey: z.string().min(40),
});

export type LocalSecrets = z.infer<typeof secretsSchema>;

const generators: Record<keyof LocalSecrets, () => string> = {
  authSecret: () => randomBytes(32).toString("base64url"),
  postgresPassword: () => randomBytes(24).toString("base64url"),
  providerKeyEncryptionKey: () => randomBytes(32).toString("base64"),
};

/**
 * Secrets of a local instance, generated on first use into DATA_DIR/secrets.json (mode 0600),
 * so the embedded default needs no configuration and no secret ever sits in the repository.
 * A secret added by a newer version is generated and written next to the existing ones.
 * Production sets NEXTAUTH_SECRET, DATABASE_URL and PROVIDER_KEY_ENCRYPTION_KEYS instead.
 */
export function localSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, "secrets.json");
  const existing = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LocalSecrets>)
    : null;
  const secrets = { ...existing };
  const missing = (Object.keys(generators) as (keyof LocalSecrets)[]).filter((k) => !secrets[k]);
  if (missing.length === 0) return secretsSchema.parse(secrets);
  for (const key of missing) secrets[key] = generators[key]();

  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(secrets, null, 2);
  if (!existing) {
    // "wx" fails if another process created the file first: then theirs is the one to use.
    try {
      fs.writeFileSync(file, text, { mode: 0o600, flag: "wx" });
    } catch {
      return localSecrets(dir);
    }
  } else {
    // An older file without a newer secret: add it (a temporary file and a rename, so a
    // reader never sees half a file).
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  return secretsSchema.parse(secrets);
}
