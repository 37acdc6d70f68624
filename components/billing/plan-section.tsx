"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { LocalDate } from "@/components/ui/local-date";
import { Section } from "@/components/ui/section";
import { queryKeys } from "@/lib/api/query-keys";
import { formatTb } from "@/lib/pricing/storage";
import { formatCents, formatNano } from "@/lib/money/format";
import { billingApi } from "./api";
import { FormError } from "./form-messages";
import { PlanSummary } from "./plan-summary";

/** The plan, what it includes, the subscription (PRO: subscribe and cancel), seats and storage. */
export function PlanSection({ org }: { org: string | null }) {
  const api = billingApi(org);
  const { data } = useSuspenseQuery({ queryKey: queryKeys.billingOverview(org), queryFn: api.overview });
  const { plan, subscription, seats, storage, credits } = data;
  return (
    <Section title="Plan">
      <PlanSummary
        label={plan.label}
        seats={seats?.current ?? 1}
        perSeat={plan.perSeat}
        monthlyCreditsNano={BigInt(plan.monthlyCreditsNano)}
        payAsYouGo={plan.payAsYouGo}
        feeCents={plan.feeCents}
      />
      <p className="mt-3 text-sm" data-testid="credits-used">
        Credits used this month: {formatNano(BigInt(credits.usedNano))} of{" "}
        {formatNano(BigInt(credits.includedNano))}. They renew on the 1st and do not roll over.
      </p>
      {data.kind === "user" ? <ProSubscription org={org} /> : null}
      {seats && subscription ? (
        <p className="mt-3 text-sm" data-testid="seats">
          {seats.current} seat{seats.current === 1 ? "" : "s"} paid, {seats.members} member
          {seats.members === 1 ? "" : "s"}. At the renewal on{" "}
          <LocalDate iso={subscription.currentPeriodEnd} />, seats become the member count ({seats.atRenewal}
          ): {formatCents(seats.renewalFeeCents)} for the next month.
        </p>
      ) : null}
      {subscription?.status === "past_due" ? (
        <p className="mt-3 text-sm text-red-700 dark:text-red-300">
          The last renewal could not be charged. Pay the open invoice below to keep the plan.
        </p>
      ) : null}
      {subscription ? (
        <p className="mt-3 text-sm" data-testid="storage">
          Private storage: {formatTb(BigInt(storage.currentBytes))} used, {storage.includedTb} TB included
          (peak this period {formatTb(BigInt(storage.peakBytes))}).{" "}
          {storage.overageTb > 0
            ? `${storage.overageTb} TB over: ${formatCents(storage.overageCents)} will be billed with the renewal ($25 per started TB).`
            : "Nothing over what is included."}
        </p>
      ) : null}
    </Section>
  );
}

/** PRO for a personal account: subscribe (charged now), cancel (at the period's end), or keep it. */
function ProSubscription({ org }: { org: string | null }) {
  const api = billingApi(org);
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery({ queryKey: queryKeys.billingOverview(org), queryFn: api.overview });
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.billing(org) });
  const subscribe = useMutation({ mutationFn: api.subscribe, onSuccess: () => void refresh() });
  const cancel = useMutation({
    mutationFn: api.cancel,
    onSuccess: () => {
      setConfirming(false);
      void refresh();
    },
  });
  const sub = data.subscription;

  if (data.proOffer) {
    const offer = data.proOffer;
    return (
      <div className="mt-4 rounded-md border border-gray-200 p-4 dark:border-gray-800">
        <p className="text-sm">
          <strong>PRO</strong>, {formatCents(offer.feeCents)} a month:{" "}
          {formatNano(BigInt(offer.monthlyCreditsNano))} of monthly credits, pay as you go after them,{" "}
          {offer.includedStorageTb} TB of private storage. The first month is charged now to your default
          card; cancel any time.
        </p>
        <Button className="mt-3" onClick={() => subscribe.mutate()} disabled={subscribe.isPending}>
          {subscribe.isPending ? "Subscribing…" : "Subscribe to PRO"}
        </Button>
        <FormError error={subscribe.error} />
      </div>
    );
  }
  if (!sub) return null;
  if (sub.cancelAtPeriodEnd) {
    return (
      <div className="mt-4 text-sm" data-testid="subscription-status">
        <p>
          PRO is cancelled. It stays active until <LocalDate iso={sub.currentPeriodEnd} />, then your account
          returns to Free; nothing more is charged.
        </p>
        <Button
          variant="secondary"
          className="mt-2"
          onClick={() => subscribe.mutate()}
          disabled={subscribe.isPending}
        >
          Keep PRO
        </Button>
        <FormError error={subscribe.error} />
      </div>
    );
  }
  return (
    <div className="mt-4 text-sm" data-testid="subscription-status">
      <p>
        PRO renews on <LocalDate iso={sub.currentPeriodEnd} /> for {formatCents(data.plan.feeCents)}.
      </p>
      {confirming ? (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <span>Cancel PRO? It stays active until the end of the period you paid for.</span>
          <Button variant="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel at period end
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Not now
          </Button>
        </div>
      ) : (
        <Button variant="secondary" className="mt-2" onClick={() => setConfirming(true)}>
          Cancel PRO
        </Button>
      )}
      <FormError error={cancel.error} />
    </div>
  );
}
