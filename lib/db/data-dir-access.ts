import fs from "node:fs";
import path from "node:path";

/**
 * When the app runs as root the embedded server runs as the `postgres` user, which must be able
 * to enter every folder above its data. DATA_DIR itself (ours to use) is made enterable, search
 * only: others still cannot list it, and the server's own folder stays 0700. A folder above it
 * that we may not change is named, with what to do, instead of initdb's "Permission denied".
 */
export function letPostgresUserEnter(dataDir: string): void {
  const own = path.resolve(dataDir);
  fs.mkdirSync(own, { recursive: true });
  for (let dir = own; ; dir = path.dirname(dir)) {
    const { mode } = fs.statSync(dir);
    if ((mode & 0o001) === 0) {
      if (dir !== own) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            `Run "chmod o+x ${dir}", or set DATA_DIR to a folder outside it.`,
        );
      }
      fs.chmodSync(dir, (mode & 0o777) | 0o001);
    }
    if (dir === path.dirname(dir)) return;
  }
}
