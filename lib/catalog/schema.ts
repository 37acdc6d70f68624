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
  models: z.array(z.strictObject({ id: z.string().min(1), displayName: z.string().min(1) })),
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
