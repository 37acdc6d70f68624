import { randomUUID } from "node:crypto";
import { z } from "zod";
import { billingNow, setBillingNow } from "@/lib/kernel/clock";
import { closeMonth } from "@/lib/ledger/close-month";
import { collectThresholdCharges } from "@/lib/ledger/collect-threshold-charges";
import { runBillingJobs } from "@/lib/ledger/jobs";
import { payInvoiceOnline } from "@/lib/ledger/pay-online";
import { nextPeriod, periodSchema, periodStart } from "@/lib/kernel/period";
import { recordUsage } from "@/lib/ledger/record-usage";
import { cancelSubscription, subscribePro } from "@/lib/ledger/subscriptions";
import { resolveOrgAccess } from "@/lib/accounts/access";
import { emailSchema } from "@/lib/accounts/schemas";
import { addCard } from "@/lib/ledger/payment-methods";
import { notFound } from "@/lib/kernel/errors";
import { command } from "../command";
import {
  accountFlags,
  exactlyOneAccount,
  exactlyOneAccountMessage,
  isoInstant,
  resolveAccount,
} from "../resolve-account";

const count = z.coerce.number().int().min(0).max(1_000_000_000);
const expiry = z
  .string()
  .regex(/^(0[1-9]|1[0-2])\/\d{4}$/, { message: "Give the expiry as MM/YYYY." })
  .default("12/2099")
  .transform((s) => ({ expMonth: Number(s.slice(0, 2)), expYear: Number(s.slice(3)) }));

/** Billing operations, and the clock that lets tests and demos reach a month end now. */
export const billingCommands = {
  clock: command({
    usage: "clock [--set 2026-11-30T23:59:00Z | --set now | --advance-to next-month]",
    flags: z
      .strictObject({
        set: z.union([z.literal("now"), isoInstant]).optional(),
        "advance-to": z.literal("next-month").optional(),
      })
      .refine((f) => !(f.set && f["advance-to"]), { message: "Use either --set or --advance-to." }),
    async run({ db, production }, f) {
      if (f.set) await setBillingNow(db, f.set === "now" ? new Date() : f.set, { production });
      if (f["advance-to"]) {
        const now = await billingNow(db, { production });
        // A few seconds into the next month, so the month is over and can be closed.
        await setBillingNow(db, new Date(nextPeriod(periodStart(now)).getTime() + 5_000), { production });
      }
      return { now: await billingNow(db, { production }) };
    },
  }),
  "close-month": command({
    usage: "close-month YYYY-MM",
    positional: "month",
    flags: z.strictObject({ month: periodSchema }),
    async run({ db, processor, production }, f) {
      return closeMonth(db, processor, { period: f.month, now: await billingNow(db, { production }) });
    },
  }),
  "run-billing-jobs": command({
    usage: "run-billing-jobs",
    flags: z.strictObject({}),
    async run({ db, processor, production }) {
      return runBillingJobs(db, processor, { production });
    },
  }),
  "record-usage": command({
    usage:
      "record-usage --email E [--bill-to ORG] --provider P --model M [--input-tokens N] [--output-tokens N] [--compute-ms N] [--mode routed|custom_key] [--count K]",
    flags: z.strictObject({
      email: emailSchema,
      "bill-to": z.string().optional(),
      provider: z.string().min(1),
      model: z.string().min(1),
      "input-tokens": count.default(0),
      "output-tokens": count.default(0),
      "compute-ms": count.default(0),
      mode: z.enum(["routed", "custom_key"]).default("routed"),
      count: z.coerce.number().int().min(1).max(10_000).default(1),
    }),
    async run({ db, processor, production }, f) {
      const user = await db.user.findUnique({ where: { email: f.email }, include: { billingAccount: true } });
      if (!user) throw notFound(`User ${f.email}`);
      const accountId = f["bill-to"]
        ? (await resolveOrgAccess(db, { userId: user.id, orgName: f["bill-to"], required: "read" })).account
            .id
        : user.billingAccount!.id;
      const occurredAt = await billingNow(db, { production });
      const totals = { recorded: 0, costNano: 0n, creditsNano: 0n, paygNano: 0n };
      for (let i = 0; i < f.count; i++) {
        const r = await recordUsage(db, {
          id: `cli-${randomUUID()}`,
          accountId,
          userId: user.id,
          providerId: f.provider,
          modelId: f.model,
          mode: f.mode,
          inputTokens: f["input-tokens"],
          outputTokens: f["output-tokens"],
          computeMs: f["compute-ms"],
          occurredAt,
        });
        totals.recorded += 1;
        totals.costNano += r.costNano;
        totals.creditsNano += r.creditsNano;
        totals.paygNano += r.paygNano;
      }
      const thresholdCharges = await collectThresholdCharges(db, processor, accountId);
      return { ...totals, thresholdCharges };
    },
  }),
  "add-card": command({
    usage: "add-card (--email E | --org N) --number 4242424242424242 [--exp MM/YYYY]",
    flags: z
      .strictObject({
        ...accountFlags,
        number: z.string().regex(/^[\d -]{12,23}$/, { message: "Not a card number." }),
        exp: expiry,
      })
      .refine(exactlyOneAccount, exactlyOneAccountMessage),
    async run({ db, processor }, f) {
      const account = await resolveAccount(db, f);
      const card = await addCard(db, processor, {
        accountId: account.id,
        card: { kind: "number", number: f.number, cvc: "123", ...f.exp },
      });
      return { card };
    },
  }),
  "set-threshold": command({
    usage: "set-threshold (--email E | --org N) --cents C",
    flags: z
      .strictObject({ ...accountFlags, cents: z.coerce.number().int().min(100).max(100_000_000) })
      .refine(exactlyOneAccount, exactlyOneAccountMessage),
    async run({ db }, f) {
      const account = await resolveAccount(db, f);
      await db.$transaction([
        db.billingAccount.update({ where: { id: account.id }, data: { thresholdCents: f.cents } }),
        db.auditLog.create({
          data: {
            accountId: account.id,
            action: "billing.threshold.update",
            before: { thresholdCents: account.thresholdCents },
            after: { thresholdCents: f.cents },
          },
        }),
      ]);
      return { accountId: account.id, thresholdCents: f.cents };
    },
  }),
  "set-storage": command({
    usage:
      "set-storage (--email E | --org N) --bytes B  (private storage measured today, by the billing clock)",
    flags: z
      .strictObject({ ...accountFlags, bytes: z.coerce.bigint().min(0n) })
      .refine(exactlyOneAccount, exactlyOneAccountMessage),
    async run({ db, production }, f) {
      const account = await resolveAccount(db, f);
      const day = new Date((await billingNow(db, { production })).toISOString().slice(0, 10));
      await db.storageUsage.upsert({
        where: { accountId_day: { accountId: account.id, day } },
        create: { accountId: account.id, day, bytes: f.bytes },
        update: { bytes: f.bytes },
      });
      return { accountId: account.id, day: day.toISOString().slice(0, 10), bytes: f.bytes };
    },
  }),
  subscribe: command({
    usage: "subscribe --email E   (PRO, charged to the default card)",
    flags: z.strictObject({ email: emailSchema }),
    async run({ db, processor, production }, f) {
      const account = await resolveAccount(db, f);
      const subscription = await subscribePro(db, processor, {
        accountId: account.id,
        now: await billingNow(db, { production }),
      });
      return { subscription };
    },
  }),
  "cancel-subscription": command({
    usage: "cancel-subscription (--email E | --org N)",
    flags: z.strictObject(accountFlags).refine(exactlyOneAccount, exactlyOneAccountMessage),
    async run({ db, production }, f) {
      const account = await resolveAccount(db, f);
      const subscription = await cancelSubscription(db, {
        accountId: account.id,
        now: await billingNow(db, { production }),
      });
      return { subscription };
    },
  }),
  "pay-invoice": command({
    usage: "pay-invoice --number INV-202611-000001 --card-number 4242424242424242 [--exp MM/YYYY]",
    flags: z.strictObject({
      number: z.string().regex(/^INV-\d{6}-\d{6}$/),
      "card-number": z.string().regex(/^[\d -]{12,23}$/),
      exp: expiry,
    }),
    async run({ db, processor }, f) {
      const invoice = await db.invoice.findUnique({ where: { number: f.number } });
      if (!invoice) throw notFound(`Invoice ${f.number}`);
      return payInvoiceOnline(db, processor, {
        accountId: invoice.accountId,
        number: f.number,
        payWith: { card: { kind: "number", number: f["card-number"], cvc: "123", ...f.exp } },
      });
    },
  }),
};
