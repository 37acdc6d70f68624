import "server-only";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/prisma";
import { paymentProcessorFromEnv } from "@/lib/payments/index";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { billingNow } from "@/lib/kernel/clock";

let processor: PaymentProcessor | undefined;

/** The app's payment processor (Stripe when STRIPE_SECRET_KEY is set, else the local one), made once. */
export function appProcessor(): PaymentProcessor {
  processor ??= paymentProcessorFromEnv(getDb());
  return processor;
}

/** "Now" for billing in the app: the billing clock, which the CLI moves outside production. */
export function appBillingNow(db: DbOrTx): Promise<Date> {
  return billingNow(db, { production: isProduction() });
}
