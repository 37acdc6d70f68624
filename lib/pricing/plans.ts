import type { DbOrTx } from "@/lib/db/prisma";

type PlanName = "free" | "pro" | "team" | "enterprise";

/** The plan's terms in force at `at`: the latest version that took effect by then. */
export async function planInForce(db: DbOrTx, plan: PlanName, at: Date) {
  const terms = await db.planPrice.findFirst({
    where: { plan, effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: "desc" },
  });
  if (!terms) throw new Error(`The catalog has no terms for plan ${plan} in force at ${at.toISOString()}.`);
  return terms;
}

export const PLAN_LABELS: Record<PlanName, string> = {
  free: "Free",
  pro: "PRO",
  team: "Team",
  enterprise: "Enterprise",
};
