"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { queryKeys } from "@/lib/api/query-keys";
import { formatCents } from "@/lib/money/format";
import { billingApi } from "./api";
import { CardFields, cardValues, emptyCard } from "./card-fields";
import { FormError } from "./form-messages";

const NEW_CARD = "new";

/** "Pay online": an open or failed invoice paid now with a new card or another card on file. */
export function PayInvoiceForm({
  org,
  number,
  amountDueCents,
}: {
  org: string | null;
  number: string;
  amountDueCents: number;
}) {
  const api = billingApi(org);
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({ queryKey: queryKeys.paymentMethods(org), queryFn: api.cards });
  const [choice, setChoice] = useState(NEW_CARD);
  const [draft, setDraft] = useState(emptyCard);
  const pay = useMutation({
    // The server charges an invoice at most once: a resent request gets 409, never a second charge.
    mutationFn: (body: Parameters<typeof api.pay>[1]) => api.pay(number, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.billing(org) }),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    pay.mutate(choice === NEW_CARD ? { card: cardValues(draft) } : { paymentMethodId: choice });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Pay online">
      <label className="block text-sm font-medium">
        Pay with
        <select
          className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value={NEW_CARD}>Another card</option>
          {data.cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.brand} ending in {c.last4}
              {c.isDefault ? " (default)" : ""}
            </option>
          ))}
        </select>
      </label>
      {choice === NEW_CARD ? (
        <>
          <CardFields value={draft} onChange={setDraft} />
          <p className="text-xs text-gray-600 dark:text-gray-400">
            The card is checked with a $10.00 hold that is released at once, and saved to your payment
            methods.
          </p>
        </>
      ) : null}
      <div>
        <Button type="submit" disabled={pay.isPending}>
          {pay.isPending ? "Paying…" : `Pay ${formatCents(amountDueCents)}`}
        </Button>
      </div>
      <FormError error={pay.error} />
    </form>
  );
}
