import { createHash, randomBytes } from "node:crypto";
import { cardCountryRefusal } from "./card-country";
import { memoryBooks, type BookEntry, type LocalBooks } from "./local-books";
import {
  DECLINE_MESSAGES,
  type CardInput,
  type PaymentProcessor,
  type ProcessorResult,
  type SavedCard,
} from "./processor";

/**
 * Test cards of the built-in processor (the numbers Stripe uses for the same cases):
 * what happens is decided by the number, so tests and demos are deterministic. The country is
 * where the card was issued, as Stripe reports it.
 */
export const TEST_CARDS = {
  "4242424242424242": { brand: "visa", behaviour: "succeeds", country: "US" },
  "5555555555554444": { brand: "mastercard", behaviour: "succeeds", country: "US" },
  "4000000000000002": { brand: "visa", behaviour: "declined_on_save", country: "US" },
  "4000000000003220": { brand: "visa", behaviour: "authentication_required", country: "US" },
  "4000000000000341": { brand: "visa", behaviour: "charges_declined", country: "US" },
  "4000000000000119": { brand: "visa", behaviour: "processing_error", country: "US" },
  "4000003560000008": { brand: "visa", behaviour: "succeeds", country: "IN" },
} as const;
type Behaviour = (typeof TEST_CARDS)[keyof typeof TEST_CARDS]["behaviour"];

const fail = (
  code: string,
  retryable = false,
): { ok: false; code: string; message: string; retryable: boolean } => ({
  ok: false,
  code,
  message: DECLINE_MESSAGES[code] ?? DECLINE_MESSAGES.card_declined!,
  retryable,
});

/** The card's behaviour travels in its reference; the books keep only the money moved. */
const behaviourOf = (cardRef: string): Behaviour | null => {
  const match = /^local_card_([a-z_]+)_[0-9a-f]+$/.exec(cardRef);
  return match ? (match[1] as Behaviour) : null;
};
const refFor = (prefix: string, idempotencyKey: string) =>
  `${prefix}_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 24)}`;

/**
 * A key used again for a different movement is refused, as Stripe refuses it: it would mean
 * two business events share one key, and one of them would silently not be charged.
 */
async function enterOnce(books: LocalBooks, entry: BookEntry) {
  const first = await books.enter(entry);
  const same =
    first.kind === entry.kind &&
    first.customerRef === entry.customerRef &&
    first.amountCents === entry.amountCents;
  return same
    ? ({ ok: true, ref: first.ref } as const)
    : ({
        ok: false,
        code: "idempotency_key_reused",
        message: `The idempotency key ${entry.idempotencyKey} was used for a different payment.`,
        retryable: false,
      } as const);
}

export function createLocalProcessor(books: LocalBooks = memoryBooks()): PaymentProcessor {
  return {
    name: "local",
    async createCustomer({ accountId }) {
      return `local_cus_${accountId}`;
    },
    async saveCard({
      card,
    }: {
      customerRef: string;
      card: CardInput;
    }): Promise<ProcessorResult<{ card: SavedCard }>> {
      if (card.kind !== "number") return fail("incorrect_number");
      const number = card.number.replace(/[\s-]/g, "");
      const known = TEST_CARDS[number as keyof typeof TEST_CARDS];
      if (!known) return fail("incorrect_number");
      const now = new Date();
      const expiresEnd = Date.UTC(card.expYear, card.expMonth, 1);
      if (expiresEnd <= now.getTime()) return fail("expired_card");
      const refused = cardCountryRefusal(known.country);
      if (refused) return refused;
      if (known.behaviour === "declined_on_save") return fail("card_declined");
      if (known.behaviour === "authentication_required") return fail("authentication_required");
      return {
        ok: true,
        card: {
          processorRef: `local_card_${known.behaviour}_${randomBytes(8).toString("hex")}`,
          fingerprint: createHash("sha256").update(`card:${number}`).digest("hex").slice(0, 16),
          brand: known.brand,
          last4: number.slice(-4),
          expMonth: card.expMonth,
          expYear: card.expYear,
        },
      };
    },
    async authorize({ customerRef, cardRef, amountCents, idempotencyKey }) {
      if (behaviourOf(cardRef) === null) return fail("card_declined");
      const ref = refFor("local_hold", idempotencyKey);
      return enterOnce(books, { idempotencyKey, kind: "hold", customerRef, amountCents, ref });
    },
    async release({ ref, idempotencyKey }) {
      const hold = await books.find("hold", ref);
      if (!hold) return fail("processing_error");
      const { customerRef, amountCents } = hold;
      return enterOnce(books, { idempotencyKey, kind: "release", customerRef, amountCents, ref });
    },
    async charge({ customerRef, cardRef, amountCents, idempotencyKey }) {
      const behaviour = behaviourOf(cardRef);
      if (behaviour === "charges_declined" || behaviour === null) return fail("card_declined");
      if (behaviour === "processing_error") return fail("processing_error", true);
      const ref = refFor("local_charge", idempotencyKey);
      return enterOnce(books, { idempotencyKey, kind: "charge", customerRef, amountCents, ref });
    },
  };
}
