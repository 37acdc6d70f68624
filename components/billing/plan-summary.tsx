import { formatCents, formatNano } from "@/lib/money/format";

export interface PlanSummaryProps {
  label: string;
  seats: number;
  perSeat: boolean;
  monthlyCreditsNano: bigint;
  payAsYouGo: boolean;
  feeCents: number;
}

/** What a plan includes, in one sentence per fact. */
export function PlanSummary(p: PlanSummaryProps) {
  const seatsFactor = BigInt(p.perSeat ? p.seats : 1);
  return (
    <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
      <div>
        <dt className="text-gray-500 dark:text-gray-400">Plan</dt>
        <dd className="text-lg font-semibold" data-testid="plan-name">
          {p.label}
          {p.perSeat ? ` · ${p.seats} seats` : ""}
        </dd>
      </div>
      <div>
        <dt className="text-gray-500 dark:text-gray-400">Monthly inference credits</dt>
        <dd className="text-lg font-semibold">
          {formatNano(p.monthlyCreditsNano * seatsFactor)}
          {p.perSeat ? (
            <span className="text-sm font-normal"> ({formatNano(p.monthlyCreditsNano)} per seat)</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-gray-500 dark:text-gray-400">After credits</dt>
        <dd className="text-lg font-semibold">{p.payAsYouGo ? "Pay as you go" : "Requests are refused"}</dd>
      </div>
      {p.feeCents > 0 ? (
        <div>
          <dt className="text-gray-500 dark:text-gray-400">Subscription</dt>
          <dd>
            {formatCents(p.feeCents)} / month{p.perSeat ? " per seat" : ""}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
