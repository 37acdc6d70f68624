import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });
// A computed specifier: the config is plain JavaScript without types, and LAYERS is all we read.
const { LAYERS } = (await import(pathToFileURL(path.join(root, "eslint.config.mjs")).href)) as {
  LAYERS: string[][];
};
const RULE = "import/no-restricted-paths";

/** The layering messages ESLint reports for `code` as if it were the file at `file`. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe("lib/ folder layering (eslint.config.mjs LAYERS, docs/architecture.md)", () => {
  it("names every folder of lib/ exactly once", () => {
    const folders = fs
      .readdirSync(path.join(root, "lib"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const layered = LAYERS.flat();
    expect(new Set(layered).size).toBe(layered.length);
    expect([...layered].sort()).toEqual([...folders].sort());
  });

  it("refuses an upward import: a cycle between folders cannot be written", async () => {
    expect(
      await violations(
        "lib/db/probe.ts",
        'import { settleUsage } from "@/lib/ledger/settle";\nvoid settleUsage;\n',
      ),
    ).toHaveLength(1);
    expect(
      await violations("lib/kernel/probe.ts", 'export { formatUsd } from "../money/format";\n'),
    ).toHaveLength(1);
  });

  it("refuses type-only, relative and dynamic imports alike", async () => {
    expect(
      await violations(
        "lib/ledger/probe.ts",
        'import type { RouteContract } from "@/lib/api/route";\nexport type X = RouteContract;\n',
      ),
    ).toHaveLength(1);
    expect(
      await violations("lib/ledger/probe.ts", 'export const f = () => import("../usage/wire");\n'),
    ).toHaveLength(1);
  });

  it("refuses an import between two folders of one layer", async () => {
    expect(
      await violations(
        "lib/usage/probe.ts",
        'import { handleChat } from "@/lib/router/chat";\nvoid handleChat;\n',
      ),
    ).toHaveLength(1);
  });

  it("allows downward imports and leaves tests free", async () => {
    expect(
      await violations(
        "lib/ledger/probe.ts",
        'import { periodStart } from "@/lib/kernel/period";\nvoid periodStart;\n',
      ),
    ).toEqual([]);
    expect(
      await violations(
        "lib/db/probe.test.ts",
        'import { settleUsage } from "@/lib/ledger/settle";\nvoid settleUsage;\n',
      ),
    ).toEqual([]);
  });
});
