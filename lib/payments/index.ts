import { createLocalProcessor } from "./local-processor";
import type { PaymentProcessor } from "./processor";
import { createStripeProcessor } from "./stripe-processor";

/** Stripe when STRIPE_SECRET_KEY is set; otherwise the built-in local processor. */
export function paymentProcessorFromEnv(env: NodeJS.ProcessEnv = process.env): PaymentProcessor {
  const key = env.STRIPE_SECRET_KEY;
  return key ? createStripeProcessor(key) : createLocalProcessor();
}
