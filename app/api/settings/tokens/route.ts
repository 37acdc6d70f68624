import { createToken, listTokens } from "@/lib/api/contracts/settings";
import { createApiToken, tokenDto } from "@/lib/auth/tokens";
import { isProduction } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";
import { billingNow } from "@/lib/kernel/clock";
import { listTokensWithSpend, tokenWindowsAt } from "@/lib/ledger/token-spend";
import { route } from "@/lib/api/route";

/** The caller's active access tokens (never the tokens themselves), each limit's window by the billing clock. */
export const GET = route(listTokens, async ({ principal }) => {
  const db = getDb();
  return {
    tokens: await listTokensWithSpend(
      db,
      principal.userId,
      await billingNow(db, { production: isProduction() }),
    ),
  };
});

/** Creates a token; the response is the only time its value is shown. */
export const POST = route(createToken, async ({ principal, body }) => {
  const db = getDb();
  const { token, record } = await createApiToken(db, {
    userId: principal.userId,
    name: body.name,
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    permissions: body.permissions,
    billToOrgs: body.billToOrgs,
    limitCents: body.limitCents,
    limitReset: body.limitReset,
  });
  const windows = await tokenWindowsAt(db, [record], await billingNow(db, { production: isProduction() }));
  return { token, record: tokenDto(record, windows.get(record.id) ?? null) }; // 201: the contract's status
});
