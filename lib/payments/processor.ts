/** A card as the customer typed it (local test processor) or as Stripe.js tokenized it. */
export type CardInput =
  | { kind: "number"; number: string; expMonth: number; expYear: number; cvc: string }
  | { kind: "stripe_payment_method"; paymentMethodId: string };

export interface SavedCard {
  processorRef: string;
  /** The same for the same card number, whoever saves it: how a card saved twice is found. */
  fingerprint: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type ProcessorResult<T> =
  ({ ok: true } & T) | { ok: false; code: string; message: string; retryable: boolean };

/**
 * What billing needs from a payment processor. Two implementations: the built-in local one
 * (embedded default and tests) and Stripe (when STRIPE_SECRET_KEY is set). Every money
 * movement carries an idempotency key, so a retried call never moves money twice.
 */
export interface PaymentProcessor {
  readonly name: "local" | "stripe";
  /** Creates the processor's customer for an account (once; the ref is stored on the account). */
  createCustomer(input: { accountId: string; email: string | null }): Promise<string>;
  saveCard(input: { customerRef: string; card: CardInput }): Promise<ProcessorResult<{ card: SavedCard }>>;
  /** Places a hold (an authorization that is not captured). */
  authorize(input: {
    customerRef: string;
    cardRef: string;
    amountCents: number;
    idempotencyKey: string;
  }): Promise<ProcessorResult<{ ref: string }>>;
  /** Releases a hold without charging it. */
  release(input: { ref: string; idempotencyKey: string }): Promise<ProcessorResult<{ ref: string }>>;
  charge(input: {
    customerRef: string;
    cardRef: string;
    amountCents: number;
    idempotencyKey: string;
    description: string;
  }): Promise<ProcessorResult<{ ref: string }>>;
}

/** The sentence a customer sees when a card is refused, whatever the processor. */
export const DECLINE_MESSAGES: Record<string, string> = {
  card_declined:
    "Your card was declined. It may need 3-D Secure or to be enabled for recurring online payments: ask your bank, or use another card.",
  authentication_required:
    "Your bank asks for 3-D Secure authentication for this card, which recurring payments cannot do. Enable it for recurring payments, or use another card.",
  insufficient_funds: "Your card has insufficient funds. Use another card.",
  expired_card: "Your card has expired. Use another card.",
  incorrect_number: "The card number is not valid. Check it and try again.",
  processing_error: "The card could not be processed just now. Try again in a moment.",
};
