import { formatPeriod } from "@/lib/kernel/period";
import { formatCents } from "@/lib/money/format";
import { roundNanoToCents } from "@/lib/money/units";

export interface AlertFacts {
  id: string;
  accountId: string;
  /** The org's name, or null for a personal account. */
  orgName: string | null;
  period: Date;
  kind: "credits" | "spending_limit";
  level: number;
  usedNano: bigint;
  capNano: bigint;
  createdAt: Date;
}

const what = (a: AlertFacts) => (a.kind === "credits" ? "monthly credits" : "monthly spending limit");

/** One line for the notifications list and the email's subject. */
export function alertTitle(a: AlertFacts): string {
  const who = a.orgName ? `${a.orgName}: ` : "";
  return a.level >= 100
    ? `${who}${what(a)} reached for ${formatPeriod(a.period)}`
    : `${who}${a.level}% of ${what(a)} used for ${formatPeriod(a.period)}`;
}

/** What it means and what to do, in plain words. */
export function alertText(a: AlertFacts): string {
  const used = formatCents(roundNanoToCents(a.usedNano));
  const cap = formatCents(roundNanoToCents(a.capNano));
  const amounts = `${used} of ${cap} used.`;
  if (a.kind === "credits") {
    return a.level >= 100
      ? `${amounts} Routed requests now bill as pay-as-you-go (PRO and organizations), or are refused on the Free plan until credits renew on the 1st.`
      : `${amounts} Credits renew on the 1st of next month.`;
  }
  return a.level >= 100
    ? `${amounts} Routed requests billed to ${a.orgName ?? "this account"} are refused until the 1st, unless an admin raises the limit.`
    : `${amounts} At the limit, routed requests billed to ${a.orgName ?? "this account"} will be refused until the 1st.`;
}

/** The webhook's JSON body: stable field names, money as integer nano-dollars in strings. */
export function alertPayload(a: AlertFacts): string {
  return JSON.stringify({
    type: "billing.alert",
    id: a.id,
    account: { id: a.accountId, org: a.orgName },
    month: formatPeriod(a.period),
    kind: a.kind,
    level: a.level,
    usedNano: a.usedNano.toString(),
    capNano: a.capNano.toString(),
    createdAt: a.createdAt.toISOString(),
    title: alertTitle(a),
  });
}
