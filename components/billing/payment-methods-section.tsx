"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { billingApi } from "./api";
import { CardFields, cardValues, emptyCard } from "./card-fields";
import { FormError, FormSuccess } from "./form-messages";

/** Saved cards: add one (checked with a $10 hold that is released), choose the default, remove. */
export function PaymentMethodsSection({ org }: { org: string | null }) {
  const api = billingApi(org);
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({ queryKey: queryKeys.paymentMethods(org), queryFn: api.cards });
  const [draft, setDraft] = useState(emptyCard);
  const [added, setAdded] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.billing(org) });

  const add = useMutation({
    mutationFn: api.addCard,
    onSuccess: ({ card }) => {
      setDraft(emptyCard);
      setAdded(`${card.brand} ending in ${card.last4}`);
      void refresh();
    },
    onMutate: () => setAdded(null),
  });
  const makeDefault = useMutation({ mutationFn: api.setDefault, onSuccess: () => void refresh() });
  const remove = useMutation({ mutationFn: api.removeCard, onSuccess: () => void refresh() });

  function onAdd(event: FormEvent) {
    event.preventDefault();
    add.mutate(cardValues(draft));
  }

  return (
    <Section
      title="Payment methods"
      description="The default card pays subscriptions, threshold charges and invoices."
    >
      {data.cards.length === 0 ? (
        <EmptyState title="No card yet">Add a card to subscribe or to pay as you go.</EmptyState>
      ) : (
        <ul className="divide-y divide-gray-200 dark:divide-gray-800">
          {data.cards.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-3 py-2 text-sm" data-testid="card-row">
              <span className="font-medium capitalize">{c.brand}</span>
              <span className="font-mono">•••• {c.last4}</span>
              <span className="text-gray-500 dark:text-gray-400">
                expires {String(c.expMonth).padStart(2, "0")}/{c.expYear}
              </span>
              {c.isDefault ? (
                <span className="rounded bg-gray-100 px-2 py-0.5 text-xs font-medium dark:bg-gray-800">
                  Default
                </span>
              ) : null}
              <span className="ml-auto flex gap-2">
                {c.isDefault ? null : (
                  <Button
                    variant="secondary"
                    onClick={() => makeDefault.mutate(c.id)}
                    disabled={makeDefault.isPending}
                  >
                    Make default
                  </Button>
                )}
                <Button
                  variant="secondary"
                  onClick={() => remove.mutate(c.id)}
                  disabled={remove.isPending}
                  aria-label={`Remove ${c.brand} ending in ${c.last4}`}
                >
                  Remove
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <FormError error={makeDefault.error ?? remove.error} />

      <form
        onSubmit={onAdd}
        className="mt-4 flex flex-col gap-3 border-t border-gray-200 pt-4 dark:border-gray-800"
      >
        <h3 className="text-sm font-semibold">Add a card</h3>
        <CardFields value={draft} onChange={setDraft} />
        <p className="text-xs text-gray-600 dark:text-gray-400">
          To check the card, we place a temporary $10.00 authorization hold and release it at once: you are
          not charged. Your bank may show it as pending for a few days.
        </p>
        <div>
          <Button type="submit" disabled={add.isPending}>
            {add.isPending ? "Checking the card…" : "Add card"}
          </Button>
        </div>
        <FormError error={add.error} />
        {added ? <FormSuccess>Card added ({added}). The $10.00 hold was released.</FormSuccess> : null}
      </form>
    </Section>
  );
}
