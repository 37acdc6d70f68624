import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_FILE, loadCatalog } from "./load";

describe("the price catalog", () => {
  const catalog = loadCatalog();

  it("lists 10+ real providers, integrated or not, with hf-inference priced by compute", () => {
    const ids = catalog.providers.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    for (const id of [
      "hf-inference",
      "together",
      "fireworks-ai",
      "sambanova",
      "nebius",
      "novita",
      "groq",
      "cerebras",
      "fal-ai",
      "replicate",
    ])
      expect(ids).toContain(id);
    expect(catalog.providers.find((p) => p.id === "hf-inference")?.pricingUnit).toBe("compute");
    expect(catalog.providers.some((p) => !p.billingIntegrated)).toBe(true);
  });

  it("has the plans of PRODUCT.md: Free $0.10, PRO $2.00, Team/Enterprise $2.00 per seat", () => {
    const plan = (name: string) => catalog.plans.find((p) => p.plan === name)!;
    expect(plan("free")).toMatchObject({ monthlyCreditsNano: 100_000_000n, payAsYouGo: false });
    expect(plan("pro")).toMatchObject({
      monthlyCreditsNano: 2_000_000_000n,
      payAsYouGo: true,
      perSeat: false,
    });
    expect(plan("team")).toMatchObject({
      monthlyCreditsNano: 2_000_000_000n,
      payAsYouGo: true,
      perSeat: true,
    });
    expect(plan("enterprise")).toMatchObject({
      monthlyCreditsNano: 2_000_000_000n,
      perSeat: true,
      storageOverageCentsPerTb: 2500,
    });
  });

  it("refuses a catalog whose prices point at nothing", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    broken.prices.push({ ...broken.prices[0], providerId: "groq", modelId: "black-forest-labs/FLUX.1-dev" });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/groq\/black-forest-labs\/FLUX.1-dev is not in providerModels/);
  });

  it("refuses amounts that are not exact integers", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    broken.prices[0].inputNanoPerMillion = 0.5;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/Invalid catalog/);
  });
});
