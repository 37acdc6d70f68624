import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The lint rule that keeps floats out of the code where money flows (eslint.config.mjs).
describe("the no-float money rule", () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lint = async (code: string, filePath = "lib/ledger/example.ts") =>
    (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.message);

  it.each([
    ["const fee = 0.25;", "float literal"],
    ["const cents = parseFloat('12.50');", "parseFloat"],
    ["export const s = (n: number) => n.toFixed(2);", "toFixed"],
    ["export const c = (n: number) => Math.round(n * 100);", "Math.round"],
  ])("refuses %s (%s)", async (code) => {
    expect((await lint(code)).join(" ")).toMatch(/Money is never a float|Format money|Round money/);
  });

  it("allows integers and BigInt arithmetic", async () => {
    expect(await lint("export const cents = 1_250;\nexport const nano = 10n ** 9n;\n")).toEqual([]);
  });

  it("applies to every money folder, not elsewhere", async () => {
    expect((await lint("export const x = 0.5;\n", "lib/payments/x.ts")).length).toBe(1);
    expect(await lint("export const opacity = 0.5;\n", "components/x.ts")).toEqual([]);
  });
});
