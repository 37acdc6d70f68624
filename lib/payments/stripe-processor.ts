import Stripe from "stripe";
import { cardCountryRefusal } from "./card-country";
import { DECLINE_MESSAGES, type PaymentProcessor, type ProcessorResult, type SavedCard } from "./processor";

/**
 * Stripe, through its official SDK. Cards are collected by Stripe.js in the browser and arrive
 * as PaymentMethod ids; charges are off-session PaymentIntents; the $10 check when a card is
 * added is a manual-capture PaymentIntent that is then cancelled.
 */
export function createStripeProcessor(
  secretKey: string,
  options: Stripe.StripeConfig = {},
): PaymentProcessor {
  const stripe = new Stripe(secretKey, { maxNetworkRetries: 2, ...options });

  async function attempt<T>(fn: () => Promise<T>): Promise<ProcessorResult<T>> {
    try {
      return { ok: true, ...(await fn()) };
    } catch (e) {
      if (e instanceof Stripe.errors.StripeCardError) {
        const code = e.code ?? "card_declined";
        return {
          ok: false,
          code,
          message: DECLINE_MESSAGES[code] ?? DECLINE_MESSAGES.card_declined!,
          retryable: false,
        };
      }
      if (e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeAPIError) {
        return {
          ok: false,
          code: "processing_error",
          message: DECLINE_MESSAGES.processing_error!,
          retryable: true,
        };
      }
      throw e;
    }
  }

  /** An off-session PaymentIntent on a saved card, confirmed at once. */
  function confirmIntent(
    input: { customerRef: string; cardRef: string; amountCents: number; idempotencyKey: string },
    extra: Partial<Stripe.PaymentIntentCreateParams>,
  ) {
    return attempt(async () => {
      const intent = await stripe.paymentIntents.create(
        {
          amount: input.amountCents,
          currency: "usd",
          customer: input.customerRef,
          payment_method: input.cardRef,
          confirm: true,
          off_session: true,
          ...extra,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return { ref: intent.id };
    });
  }

  return {
    name: "stripe",
    async createCustomer({ accountId, email }) {
      const customer = await stripe.customers.create(
        { email: email ?? undefined, metadata: { accountId } },
        { idempotencyKey: `customer:${accountId}` },
      );
      return customer.id;
    },
    async saveCard({ customerRef, card }) {
      if (card.kind !== "stripe_payment_method") {
        return {
          ok: false,
          code: "incorrect_number",
          message: "Cards are entered through Stripe's secure form.",
          retryable: false,
        };
      }
      const attached = await attempt(async () => ({
        pm: await stripe.paymentMethods.attach(card.paymentMethodId, { customer: customerRef }),
      }));
      if (!attached.ok) return attached;
      const { pm } = attached;
      // Stripe tells where the card was issued only once it has the card: a refused one is
      // detached again so it stays on nobody's customer (a failed detach changes nothing: the
      // card is never saved here, held or charged).
      const refused = cardCountryRefusal(pm.card?.country);
      if (refused) {
        await stripe.paymentMethods
          .detach(pm.id)
          .catch((e: unknown) => console.error("[stripe] detaching a refused card", pm.id, e));
        return refused;
      }
      return {
        ok: true,
        card: {
          processorRef: pm.id,
          fingerprint: pm.card?.fingerprint ?? pm.id,
          brand: pm.card?.brand ?? "card",
          last4: pm.card?.last4 ?? "????",
          expMonth: pm.card?.exp_month ?? 1,
          expYear: pm.card?.exp_year ?? 1970,
        } satisfies SavedCard,
      };
    },
    async authorize({ customerRef, cardRef, amountCents, idempotencyKey }) {
      return confirmIntent(
        { customerRef, cardRef, amountCents, idempotencyKey },
        { capture_method: "manual" },
      );
    },
    async release({ ref, idempotencyKey }) {
      return attempt(async () => {
        const intent = await stripe.paymentIntents.cancel(ref, {}, { idempotencyKey });
        return { ref: intent.id };
      });
    },
    async charge({ description, ...input }) {
      return confirmIntent(input, { description });
    },
  };
}
