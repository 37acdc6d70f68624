import type { Db } from "@/lib/db/prisma";
import { asJson } from "@/lib/http/json";
import { usageBreakdown } from "./breakdown";
import { tokenBreakdown } from "./token-breakdown";
import type { BreakdownWire, GroupBy } from "./wire";

/**
 * The breakdown exactly as GET /api/billing/usage answers it, so a page can prefetch it into
 * the same react-query cache entry the browser would fill.
 */
export async function usageView(
  db: Db,
  input: {
    accountId: string;
    from: Date;
    to: Date;
    groupBy: GroupBy;
    /** groupBy=token: whose tokens (tokenScope in usage-account.ts); null for every member's. */
    tokensOf?: string | null;
  },
): Promise<BreakdownWire> {
  const { rows, total } =
    input.groupBy === "token"
      ? await tokenBreakdown(db, { ...input, userId: requiredScope(input.tokensOf) })
      : await usageBreakdown(db, { ...input, groupBy: input.groupBy });
  return asJson<BreakdownWire>({
    from: input.from.toISOString().slice(0, 10),
    to: input.to.toISOString().slice(0, 10),
    groupBy: input.groupBy,
    rows,
    total,
  });
}

/** By token needs to know whose tokens: a page that never asks for it passes none. */
function requiredScope(tokensOf: string | null | undefined): string | null {
  if (tokensOf === undefined) throw new Error("groupBy=token needs whose tokens to show.");
  return tokensOf;
}
