import type { DbOrTx } from "@/lib/db/prisma";
import { databaseBooks } from "./local-books";
import { createLocalProcessor } from "./local-processor";
import type { PaymentProcessor } from "./processor";
import { createStripeProcessor } from "./stripe-processor";

/**
 * Stripe when STRIPE_SECRET_KEY is set; otherwise the built-in local processor, keeping its
 * books in the database.
 */
export function paymentProcessorFromEnv(db: DbOrTx, env: NodeJS.ProcessEnv = process.env): PaymentProcessor {
  const key = env.STRIPE_SECRET_KEY;
  return key ? createStripeProcessor(key) : createLocalProcessor(databaseBooks(db));
}
