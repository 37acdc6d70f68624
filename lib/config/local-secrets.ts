import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const secretsSchema = z.object({
  authSecret: z.string().min(32),
  postgresPassword: z.string().min(16),
});

export type LocalSecrets = z.infer<typeof secretsSchema>;

/**
 * Secrets of a local instance, generated on first use into DATA_DIR/secrets.json (mode 0600),
 * so the embedded default needs no configuration and no secret ever sits in the repository.
 * Production sets NEXTAUTH_SECRET and DATABASE_URL instead.
 */
export function localSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, "secrets.json");
  if (fs.existsSync(file)) {
    return secretsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  }
  fs.mkdirSync(dir, { recursive: true });
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    postgresPassword: randomBytes(24).toString("base64url"),
  };
  // "wx" fails if another process wrote it first; then read theirs.
  try {
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
    return secrets;
  } catch {
    return secretsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  }
}
