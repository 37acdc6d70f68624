import { z } from "zod";

/** Request bodies and params shared by route handlers and the forms that call them. */
export const createTokenBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name.")
    .max(100, "Token names have at most 100 characters."),
});

export const tokenIdParams = z.object({ id: z.uuid({ message: "Not a token id." }) });

export const orgParams = z.object({ org: z.string().min(1).max(96) });
export const orgProviderParams = orgParams.extend({ provider: z.string().min(1).max(100) });
export const providerParams = z.object({ provider: z.string().min(1).max(100) });

export const spendingLimitBody = z.strictObject({
  limitCents: z
    .number({ message: "limitCents is a whole number of cents, or null for no limit." })
    .int("limitCents is a whole number of cents.")
    .min(0, "limitCents cannot be negative.")
    .max(2_000_000_000, "limitCents is at most 2,000,000,000 ($20,000,000).")
    .nullable(),
});

export const providerEnabledBody = z.strictObject({ enabled: z.boolean() });

export const providerKeyBody = z.strictObject({
  key: z
    .string()
    .min(8, "A provider key has at least 8 characters.")
    .max(512, "A provider key has at most 512 characters.")
    .regex(/^[\x21-\x7e]+$/, "A provider key is printable characters without spaces."),
});

const isoDay = z.iso.date({ message: "Dates are YYYY-MM-DD (UTC)." });
export const usageQuery = z
  .strictObject({
    from: isoDay.optional(),
    to: isoDay.optional(),
    groupBy: z.enum(["model", "provider", "member", "day"]).default("model"),
    billTo: z.string().min(1).max(96).optional(),
  })
  .transform((q, ctx) => {
    const today = new Date(new Date().toISOString().slice(0, 10));
    const to = q.to ? new Date(q.to) : new Date(today.getTime() + 86_400_000);
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 31 * 86_400_000);
    if (from >= to) ctx.addIssue({ code: "custom", message: "from must be before to.", path: ["from"] });
    if (to.getTime() - from.getTime() > 366 * 86_400_000)
      ctx.addIssue({ code: "custom", message: "The range is at most 366 days.", path: ["to"] });
    return { from, to, groupBy: q.groupBy, billTo: q.billTo ?? null };
  });

export const providerPreferencesBody = z.strictObject({
  providers: z
    .array(z.string().min(1).max(100), {
      message: "providers is a list of provider ids, most preferred first.",
    })
    .max(100, "At most 100 providers."),
});
