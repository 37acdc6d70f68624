import { z } from "zod";
import { AUDIT_TYPE_IDS } from "@/lib/audit/describe";
import { orgNameSchema } from "@/lib/accounts/schemas";
import { TOKEN_PERMISSIONS } from "@/lib/auth/token-scope";
import { LIMIT_RESETS } from "@/lib/auth/token-window";
import { providerIdSchema } from "@/lib/catalog/schema";
import { dayParam, decimalIntParam, monthParam } from "./query-params";

/** A token's spending limit in whole cents: at least a cent, at most $20,000,000. */
const tokenLimitCents = z
  .number({ message: "limitCents is a whole number of cents." })
  .int("limitCents is a whole number of cents.")
  .min(1, "limitCents is at least 1 (a cent); send null to remove the limit.")
  .max(2_000_000_000, "limitCents is at most 2,000,000,000 ($20,000,000).");
const limitReset = z.enum(LIMIT_RESETS, { message: "limitReset is daily, weekly, monthly or never." }).meta({
  description: "When the limit's window starts again (UTC; weeks start on Monday); never: all time.",
});

/** A limit and its reset go together: both, or neither. */
const limitWithReset = (b: { limitCents?: number | null; limitReset?: string | null }) =>
  (b.limitCents == null) === (b.limitReset == null);
const limitWithResetIssue = {
  message: "Give limitCents and limitReset together (or neither, for no limit).",
  path: ["limitReset"],
};

/** Request bodies and params shared by route handlers and the forms that call them. */
export const createTokenBody = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, "Give the token a name.")
      .max(100, "Token names have at most 100 characters."),
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullish()
      .refine((at) => at == null || Date.parse(at) > Date.now(), "The expiry must be in the future.")
      .meta({ description: "When the token stops working (401 token_expired); absent or null: never." }),
    permissions: z
      .array(z.enum(TOKEN_PERMISSIONS))
      .min(1, "Give the token at least one permission.")
      .max(3)
      .optional()
      .meta({ description: "inference (the router), read (GET APIs), write (changes); absent: all three." }),
    billToOrgs: z.array(orgNameSchema).max(100).nullish().meta({
      description: "The orgs it may bill with X-HF-Bill-To ([]: none); absent or null: any of yours.",
    }),
    limitCents: tokenLimitCents.nullish().meta({
      description:
        "What the token's routed requests may spend per window, in whole cents (402 token_limit_reached beyond it); absent or null: no limit of its own.",
    }),
    limitReset: limitReset.nullish(),
  })
  .refine(limitWithReset, limitWithResetIssue);

/** A token's limit as its owner changes it: a limit and its reset, or null for none. */
export const tokenLimitBody = z
  .strictObject({
    limitCents: tokenLimitCents
      .nullable()
      .meta({ description: "Whole cents per window; null removes the limit." }),
    limitReset: limitReset.nullish(),
  })
  .refine(limitWithReset, limitWithResetIssue);

export const tokenIdParams = z.object({ id: z.uuid({ message: "Not a token id." }) });

export const orgParams = z.object({ org: z.string().min(1).max(96) });
export const orgProviderParams = orgParams.extend({ provider: providerIdSchema });
export const providerParams = z.object({ provider: providerIdSchema });

export const spendingLimitBody = z.strictObject({
  limitCents: z
    .number({ message: "limitCents is a whole number of cents, or null for no limit." })
    .int("limitCents is a whole number of cents.")
    .min(0, "limitCents cannot be negative.")
    .max(2_000_000_000, "limitCents is at most 2,000,000,000 ($20,000,000).")
    .nullable(),
});

export const providerEnabledBody = z.strictObject({ enabled: z.boolean() });

/** An org's allowed models: catalog ids (at least one), or null for every model. */
export const allowedModelsBody = z.strictObject({
  allowed: z
    .array(
      z
        .string()
        .min(1)
        .max(300)
        .regex(/^[^\x00-\x1f\x7f]+$/, "Model ids have no control characters."),
    )
    .min(1, "Allow at least one model, or send null to allow every model.")
    .max(1_000)
    .nullable(),
});

export const providerKeyBody = z.strictObject({
  key: z
    .string()
    .min(8, "A provider key has at least 8 characters.")
    .max(512, "A provider key has at most 512 characters.")
    .regex(/^[\x21-\x7e]+$/, "A provider key is printable characters without spaces."),
});

const isoDay = dayParam;
export const usageQuery = z
  .strictObject({
    from: isoDay.optional(),
    to: isoDay.optional(),
    groupBy: z.enum(["model", "provider", "member", "day", "token"]).default("model"),
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

const billTo = z.string().min(1).max(96).optional();

/** This month's forecast of the caller's usage, or an org's (billTo) for its members. */
export const forecastQuery = z.strictObject({ billTo }).transform((q) => ({ billTo: q.billTo ?? null }));

/** The longest span of months GET /api/billing/savings answers. */
export const MAX_SAVINGS_MONTHS = 12;

/** Custom-key savings by month (YYYY-MM, both included); by default the last 3 months. */
export const savingsQuery = z
  .strictObject({ billTo, from: monthParam.optional(), to: monthParam.optional() })
  .superRefine((q, ctx) => {
    // Runs even when a month failed its own check (then it is still the string sent).
    if (!(q.from instanceof Date) || !(q.to instanceof Date)) return;
    const months =
      (q.to.getUTCFullYear() - q.from.getUTCFullYear()) * 12 + q.to.getUTCMonth() - q.from.getUTCMonth() + 1;
    if (months < 1) ctx.addIssue({ code: "custom", message: "from must not be after to.", path: ["from"] });
    if (months > MAX_SAVINGS_MONTHS)
      ctx.addIssue({ code: "custom", message: `At most ${MAX_SAVINGS_MONTHS} months.`, path: ["to"] });
  })
  .transform((q) => ({ billTo: q.billTo ?? null, from: q.from, to: q.to }));

/** Whose billing: the caller's own account, or `?org=<name>` for an org the caller administers. */
export const billingAccountQuery = z.strictObject({ org: z.string().min(1).max(96).optional() });

export const paymentMethodParams = z.object({ id: z.uuid({ message: "Not a card id." }) });

export const invoiceParams = z.object({
  number: z.string().regex(/^INV-\d{6}-\d{6}$/, { message: "Not an invoice number (INV-YYYYMM-NNNNNN)." }),
});

/** A card as typed into the form (built-in processor), or a PaymentMethod id from Stripe.js. */
export const cardBody = z.union([
  z
    .strictObject({
      number: z
        .string()
        .regex(/^[\d -]{12,23}$/, { message: "Enter the card number: 12 to 19 digits." })
        .refine((s) => /^\d{12,19}$/.test(s.replace(/[\s-]/g, "")), {
          message: "Enter the card number: 12 to 19 digits.",
        }),
      expMonth: z
        .number()
        .int()
        .min(1, "The expiry month is 1 to 12.")
        .max(12, "The expiry month is 1 to 12."),
      expYear: z
        .number()
        .int()
        .min(2000, "Give the expiry year in full, e.g. 2030.")
        .max(2100, "Give the expiry year in full, e.g. 2030."),
      cvc: z.string().regex(/^\d{3,4}$/, { message: "The security code is 3 or 4 digits." }),
    })
    .transform((c) => ({ kind: "number" as const, ...c })),
  z
    .strictObject({
      stripePaymentMethod: z.string().regex(/^pm_\w+$/, { message: "Not a Stripe PaymentMethod id." }),
    })
    .transform((c) => ({ kind: "stripe_payment_method" as const, paymentMethodId: c.stripePaymentMethod })),
]);

/** Pay online: with a new card or one on file. */
export const payInvoiceBody = z
  .strictObject({
    // Kept for older clients: an invoice is charged at most once whatever the attempt id.
    attemptId: z.uuid({ message: "attemptId is a UUID made once per submitted form." }).optional(),
    card: cardBody.optional(),
    paymentMethodId: z.uuid({ message: "Not a card id." }).optional(),
  })
  .refine((b) => Boolean(b.card) !== Boolean(b.paymentMethodId), {
    message: "Pay with exactly one of a new card or a card on file.",
  });

export const providerPreferencesBody = z.strictObject({
  providers: z
    .array(z.string().min(1).max(100), {
      message: "providers is a list of provider ids, most preferred first.",
    })
    .max(100, "At most 100 providers."),
});

/** Where an account's alerts are also posted (the outbound policy, lib/alerts/webhook-target.ts, decides which URLs). */
export const alertWebhookBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, message: "Give the webhook's full https:// URL." })
    .max(2_000)
    // Deliveries never send them (and they would sit in the audit log): deliveries are signed instead.
    .refine(
      (u) => !/^[a-z]+:\/\/[^/?#]*@/i.test(u),
      "Put no user name or password in the webhook URL; check the signature instead.",
    ),
});

/** GET …/spending-limit/preview?limitCents=: the limit to replay last month under. */
export const limitPreviewQuery = z.strictObject({
  limitCents: decimalIntParam({
    name: "limitCents",
    min: 0,
    max: 2_000_000_000,
    range: "limitCents is at most 2,000,000,000 ($20,000,000).",
  }),
});

/** The audit log's filters (the page's URL and the export route share them); days are UTC, both included. */
export const auditLogQuery = z
  .strictObject({
    type: z.enum(AUDIT_TYPE_IDS, { message: `type is one of ${AUDIT_TYPE_IDS.join(", ")}.` }).optional(),
    member: z.union([z.uuid({ message: "member is a user id, or system." }), z.literal("system")]).optional(),
    from: isoDay.optional(),
    to: isoDay.optional(),
    page: decimalIntParam({ name: "page", min: 1, max: 100_000, range: "page is 1 to 100,000." }).default(1),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: "from must not be after to.",
    path: ["from"],
  });
