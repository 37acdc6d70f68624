import { localSecrets } from "@/lib/config/local-secrets";
import { dataDir, readEnv } from "@/lib/config/env";
import { parseKeyRing, type KeyRing } from "./crypto";

let ring: KeyRing | undefined;

/** PROVIDER_KEY_ENCRYPTION_KEYS, or the key generated into DATA_DIR/secrets.json for the embedded default. */
export function providerKeyRing(): KeyRing {
  if (ring) return ring;
  const spec = process.env.PROVIDER_KEY_ENCRYPTION_KEYS;
  ring = parseKeyRing(spec ?? `local-1:${localSecrets(dataDir(readEnv())).providerKeyEncryptionKey}`);
  return ring;
}
