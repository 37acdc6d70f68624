import { createToken, listTokens } from "@/lib/api/contracts/settings";
import { createApiToken, listApiTokens, tokenDto } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** The caller's active access tokens (never the tokens themselves). */
export const GET = route(listTokens, async ({ principal }) => {
  const tokens = await listApiTokens(getDb(), principal.userId);
  return { tokens: tokens.map(tokenDto) };
});

/** Creates a token; the response is the only time its value is shown. */
export const POST = route(createToken, async ({ principal, body }) => {
  const { token, record } = await createApiToken(getDb(), {
    userId: principal.userId,
    name: body.name,
    expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    permissions: body.permissions,
    billToOrgs: body.billToOrgs,
  });
  return { token, record: tokenDto(record) }; // 201: the contract's status
});
