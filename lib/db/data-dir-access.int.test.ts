import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startOrAttachEmbedded } from "./embedded";
import { withClient } from "./with-client";

// The embedded server runs as `postgres` only when we are root (as CI and these machines are).
const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)("a DATA_DIR made by mktemp -d (mode 0700, root's)", () => {
  it("is made enterable (search only) and the embedded server starts in it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-dir-"));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const db = await startOrAttachEmbedded(dir);
    try {
      expect(await withClient(db.url, async (c) => (await c.query("SELECT 1 AS one")).rows)).toEqual([
        { one: 1 },
      ]);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o701);
    } finally {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("inside a folder we may not change, says which folder and what to run", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "data-parent-"));
    try {
      await expect(startOrAttachEmbedded(path.join(parent, "data"))).rejects.toThrow(
        `cannot enter ${parent} (mode 700). Run "chmod o+x ${parent}"`,
      );
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
