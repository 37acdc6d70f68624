import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { ensureTestCatalog } from "@/lib/testing/billing-fixtures";
import { runProcess } from "@/lib/testing/run-process";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const admin = async (...args: string[]) => {
  const result = await runProcess("npm", ["run", "admin", "--", ...args]);
  if (result.code !== 0) throw new Error(`admin ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

describe("the $254 month, by hand with the admin CLI and the billing clock (docs/billing.md)", () => {
  it("charges $100, $100 at the threshold, then invoices $54 at month end", async () => {
    const email = uniqueEmail("readme");
    await admin("create-user", "--email", email, "--password", "a-long-password", "--plan", "pro");
    await admin("add-card", "--email", email, "--number", "4242424242424242");
    await admin("clock", "--set", "2026-10-05T12:00:00Z");
    // 25 requests of $10 and one of $6 on test-routed ($1 per million input tokens): $256.
    const big = await admin(
      "record-usage",
      "--email",
      email,
      "--provider",
      "test-routed",
      "--model",
      "test/model",
      "--input-tokens",
      "10000000",
      "--count",
      "25",
    );
    expect(big).toMatchObject({
      recorded: 25,
      costNano: "250000000000",
      creditsNano: "2000000000",
      paygNano: "248000000000",
    });
    expect(big.thresholdCharges).toEqual([
      { seq: 1, status: "succeeded" },
      { seq: 2, status: "succeeded" },
    ]);
    await admin(
      "record-usage",
      "--email",
      email,
      "--provider",
      "test-routed",
      "--model",
      "test/model",
      "--input-tokens",
      "6000000",
    );
    await admin("clock", "--advance-to", "next-month");
    const closed = await admin("close-month", "2026-10");
    expect(closed).toMatchObject({ period: "2026-10" });

    const invoice = await db.invoice.findFirstOrThrow({
      where: { account: { user: { email } }, kind: "usage" },
    });
    expect(invoice).toMatchObject({
      subtotalCents: 25_600,
      creditsCents: 200,
      prepaidCents: 20_000,
      amountDueCents: 5_400,
      status: "paid",
    });
    await admin("clock", "--set", "now");
  }, 120_000);

  it("refuses bad billing arguments with exit code 2", async () => {
    for (const args of [
      ["close-month", "2026-13"],
      ["close-month"],
      ["clock", "--set", "yesterday"],
      ["add-card", "--email", "a@example.com", "--org", "acme", "--number", "4242424242424242"],
      ["set-threshold", "--email", "a@example.com", "--cents", "-5"],
    ]) {
      const result = await runProcess("npm", ["run", "admin", "--", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: "invalid_arguments" } });
    }
  }, 60_000);
});
