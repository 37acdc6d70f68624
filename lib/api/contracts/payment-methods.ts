import { z } from "zod";
import { billingAccountQuery, cardBody, paymentMethodParams } from "@/lib/api/schemas";
import type { CardDto } from "@/lib/payments/card-dto";
import { defineContract, describes } from "@/lib/http/contract";
import { EXAMPLE_IDS, isoDateTime } from "./common";

const TAG = "Payment methods";

const card = describes<CardDto>()(
  z.object({
    id: z.uuid(),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.int(),
    expYear: z.int(),
    isDefault: z.boolean(),
    createdAt: isoDateTime,
  }),
);
const cards = z.object({ cards: z.array(card).meta({ description: "The default first." }) });
const visa = {
  id: EXAMPLE_IDS.card,
  brand: "visa",
  last4: "4242",
  expMonth: 12,
  expYear: 2030,
  isDefault: true,
  createdAt: "2026-11-02T14:00:00.000Z",
};
const mastercard = {
  id: EXAMPLE_IDS.card2,
  brand: "mastercard",
  last4: "4444",
  expMonth: 6,
  expYear: 2029,
  isDefault: false,
  createdAt: "2026-11-03T08:00:00.000Z",
};
const accountErrors = ["org_not_found", "not_org_member", "forbidden"] as const;

export const listCards = defineContract({
  method: "GET",
  path: "/api/billing/payment-methods",
  tag: TAG,
  summary: "Saved cards",
  auth: "user",
  query: billingAccountQuery,
  response: { status: 200, schema: cards, description: "The account's cards." },
  errors: accountErrors,
  example: { response: { cards: [visa, mastercard] } },
});

export const addCard = defineContract({
  method: "POST",
  path: "/api/billing/payment-methods",
  tag: TAG,
  summary: "Add a card",
  description:
    "A card number as typed (built-in processor) or a Stripe PaymentMethod id. A $10 authorization hold is placed and released at once; a refused card is a 402 saying why (cards issued in India: `card_country_unsupported`).",
  auth: "user",
  query: billingAccountQuery,
  body: cardBody,
  response: { status: 201, schema: z.object({ card }), description: "The saved card." },
  errors: [...accountErrors, "card_declined", "card_country_unsupported"],
  example: {
    body: { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123" },
    response: { card: visa },
  },
});

export const removeCard = defineContract({
  method: "DELETE",
  path: "/api/billing/payment-methods/{id}",
  tag: TAG,
  summary: "Remove a card",
  description: "If it was the default, the most recent remaining card becomes the default.",
  auth: "user",
  params: paymentMethodParams,
  query: billingAccountQuery,
  response: { status: 204, description: "Removed." },
  errors: [...accountErrors, "not_found"],
  example: { params: { id: EXAMPLE_IDS.card2 } },
});

export const setDefaultCard = defineContract({
  method: "PUT",
  path: "/api/billing/payment-methods/{id}/default",
  tag: TAG,
  summary: "Make a card the default",
  description: "The default card is charged for subscriptions, threshold charges and invoices.",
  auth: "user",
  params: paymentMethodParams,
  query: billingAccountQuery,
  response: { status: 200, schema: cards, description: "The account's cards." },
  errors: [...accountErrors, "not_found"],
  example: {
    params: { id: EXAMPLE_IDS.card2 },
    response: {
      cards: [
        { ...mastercard, isDefault: true },
        { ...visa, isDefault: false },
      ],
    },
  },
});
