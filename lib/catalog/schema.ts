import { z } from "zod";

/** Integer amounts in JSON numbers; must be exact, so only safe integers are accepted. */
const nano = z
  .number()
  .int()
  .nonnegative()
  .refine(Number.isSafeInteger, "must be a safe integer")
  .transform((n) => BigInt(n));
const cents = z.number().int().nonnegative();
const instant = z.iso.datetime().transform((s) => new Date(s));

/** A provider's id: lowercase letters, digits and dashes, as the catalog names them. */
export const providerIdSchema = z
  .string()
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    "Provider ids are lowercase letters, digits and dashes, as GET /v1/models lists them.",
  );

/** The tasks a catalog model can have (the Hub's pipeline names); the SQL check lists the same. */
export const MODEL_TASKS = [
  "conversational",
  "text-to-image",
  "feature-extraction",
  "text-classification",
  "sentence-similarity",
  "text-ranking",
  "automatic-speech-recognition",
] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

/** How the router picks a provider (`<model>:fastest`): names no provider can take. */
export const PROVIDER_POLICIES = ["fastest", "cheapest", "preferred"] as const;

export const catalogSchema = z.object({
  providers: z.array(
    z.strictObject({
      id: providerIdSchema,
      displayName: z.string().min(1),
      billingIntegrated: z.boolean(),
      pricingUnit: z.enum(["token", "compute"]),
      baseUrl: z.url(),
    }),
  ),
  models: z.array(
    z.strictObject({ id: z.string().min(1), displayName: z.string().min(1), task: z.enum(MODEL_TASKS) }),
  ),
  providerModels: z.array(
    z.strictObject({
      providerId: z.string(),
      modelId: z.string(),
      upstreamModel: z.string().min(1),
      hardware: z.string().min(1).optional(),
    }),
  ),
  prices: z.array(
    z.strictObject({
      providerId: z.string(),
      modelId: z.string(),
      effectiveFrom: instant,
      inputNanoPerMillion: nano,
      outputNanoPerMillion: nano,
      /** Where the provider lists a price for cached prompt tokens. */
      cachedInputNanoPerMillion: nano.optional(),
    }),
  ),
  hardwarePrices: z.array(
    z.strictObject({ hardware: z.string().min(1), effectiveFrom: instant, nanoPerSecond: nano }),
  ),
  plans: z.array(
    z.strictObject({
      plan: z.enum(["free", "pro", "team", "enterprise"]),
      effectiveFrom: instant,
      monthlyCreditsNano: nano,
      payAsYouGo: z.boolean(),
      feeCents: cents,
      perSeat: z.boolean(),
      includedStorageTb: z.number().int().nonnegative(),
      storageOverageCentsPerTb: cents,
    }),
  ),
});

export type Catalog = z.infer<typeof catalogSchema>;
