import { addMonthsUtc } from "@/lib/kernel/months";

/**
 * The subscription a paid plan starts with when an account is created on it (by an operator,
 * or the demo): its first period runs from now; renewals bill each following month.
 */
export function paidPlanSubscription(plan: "free" | "pro" | "team" | "enterprise", seats: number, now: Date) {
  if (plan === "free") return undefined;
  return {
    create: {
      plan,
      status: "active" as const,
      seats,
      currentPeriodStart: now,
      currentPeriodEnd: addMonthsUtc(now, 1),
    },
  };
}
