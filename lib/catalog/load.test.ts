import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_FILE, loadCatalog } from "./load";
import { MODEL_TASKS } from "./schema";

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

  it("lists 40+ models on 15+ providers, each with its task and a price wherever it is served", () => {
    expect(catalog.models.length).toBeGreaterThanOrEqual(40);
    expect(catalog.providers.length).toBeGreaterThanOrEqual(15);
    const unit = new Map(catalog.providers.map((p) => [p.id, p.pricingUnit]));
    const hardware = new Set(catalog.hardwarePrices.map((h) => h.hardware));
    const priced = new Set(catalog.prices.map((p) => `${p.providerId}|${p.modelId}`));
    for (const m of catalog.models) expect(MODEL_TASKS).toContain(m.task);
    for (const pm of catalog.providerModels) {
      const where = `${pm.providerId}/${pm.modelId}`;
      if (unit.get(pm.providerId) === "compute") expect(hardware.has(pm.hardware!), where).toBe(true);
      else expect(priced.has(`${pm.providerId}|${pm.modelId}`), where).toBe(true);
    }
    // Every task the router's tasks name has at least one model.
    for (const task of MODEL_TASKS)
      expect(
        catalog.models.some((m) => m.task === task),
        task,
      ).toBe(true);
    expect(catalog.prices.some((p) => p.cachedInputNanoPerMillion !== undefined)).toBe(true);
  });

  it("serves the models the pricing page's examples name, as the examples use them", () => {
    const offers = (model: string) => catalog.providerModels.filter((pm) => pm.modelId === model);
    const deepseek = offers("deepseek-ai/DeepSeek-V3-0324");
    expect(catalog.models.find((m) => m.id === "deepseek-ai/DeepSeek-V3-0324")?.task).toBe("conversational");
    const tokenPriced = catalog.providers.filter((p) => p.pricingUnit === "token").map((p) => p.id);
    expect(deepseek.filter((pm) => tokenPriced.includes(pm.providerId)).length).toBeGreaterThanOrEqual(3);
    // "10 seconds on a GPU machine that costs $0.00012 per second is billed $0.0012"
    expect(catalog.models.find((m) => m.id === "black-forest-labs/FLUX.1-dev")?.task).toBe("text-to-image");
    const flux = offers("black-forest-labs/FLUX.1-dev").find((pm) => pm.providerId === "hf-inference");
    const perSecond = catalog.hardwarePrices.find((h) => h.hardware === flux?.hardware)?.nanoPerSecond;
    expect(perSecond).toBe(120_000n);
    expect(perSecond! * 10n).toBe(1_200_000n); // $0.0012
  });

  it("refuses a token-priced model without a price", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    broken.providerModels.push({ providerId: "groq", modelId: "ProsusAI/finbert", upstreamModel: "finbert" });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/groq\/ProsusAI\/finbert is token-priced and has no price/);
  });

  it("refuses a cached-input price above the input price (holds assume nothing cached)", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    const price = broken.prices.find(
      (p: { cachedInputNanoPerMillion?: number }) => p.cachedInputNanoPerMillion,
    );
    price.cachedInputNanoPerMillion = price.inputNanoPerMillion + 1;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/novita\/deepseek-ai\/DeepSeek-V3-0324 lists cached input above/);
  });

  it("refuses a provider named like a policy (`model:cheapest`)", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    broken.providers.push({ ...broken.providers[1], id: "cheapest" });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/cheapest is a provider policy/);
  });

  it("refuses a model without a known task", () => {
    const broken = JSON.parse(fs.readFileSync(CATALOG_FILE, "utf8"));
    broken.models[0].task = "summarization";
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "catalog-")), "catalog.json");
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCatalog(file)).toThrow(/Invalid catalog/);
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
