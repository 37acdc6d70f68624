import { createHash, randomBytes } from "node:crypto";
import {
  DECLINE_MESSAGES,
  type CardInput,
  type PaymentProcessor,
  type ProcessorResult,
  type SavedCard,
} from "./processor";

/**
 * Test cards of the built-in processor (the numbers Stripe uses for the same cases):
 * what happens is decided by the number, so tests and demos are deterministic.
 */
export const TEST_CARDS = {
  "4242424242424242": { brand: "visa", behaviour: "succeeds" },
  "5555555555554444": { brand: "mastercard", behaviour: "succeeds" },
  "4000000000000002": { brand: "visa", behaviour: "declined_on_save" },
  "4000000000003220": { brand: "visa", behaviour: "authentication_required" },
  "4000000000000341": { brand: "visa", behaviour: "charges_declined" },
  "4000000000000119": { brand: "visa", behaviour: "processing_error" },
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

/** The card's behaviour travels in its reference, so the processor keeps no state of its own. */
const behaviourOf = (cardRef: string): Behaviour | null => {
  const match = /^local_card_([a-z_]+)_[0-9a-f]+$/.exec(cardRef);
  return match ? (match[1] as Behaviour) : null;
};
const refFor = (prefix: string, idempotencyKey: string) =>
  `${prefix}_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 24)}`;

export function createLocalProcessor(): PaymentProcessor {
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
      if (known.behaviour === "declined_on_save") return fail("card_declined");
      if (known.behaviour === "authentication_required") return fail("authentication_required");
      return {
        ok: true,
        card: {
          processorRef: `local_card_${known.behaviour}_${randomBytes(8).toString("hex")}`,
          brand: known.brand,
          last4: number.slice(-4),
          expMonth: card.expMonth,
          expYear: card.expYear,
        },
      };
    },
    async authorize({ cardRef, idempotencyKey }) {
      if (behaviourOf(cardRef) === null) return fail("card_declined");
      return { ok: true, ref: refFor("local_hold", idempotencyKey) };
    },
    async release({ ref }) {
      return { ok: true, ref };
    },
    async charge({ cardRef, idempotencyKey }) {
      const behaviour = behaviourOf(cardRef);
      if (behaviour === "charges_declined" || behaviour === null) return fail("card_declined");
      if (behaviour === "processing_error") return fail("processing_error", true);
      return { ok: true, ref: refFor("local_charge", idempotencyKey) };
    },
  };
}
