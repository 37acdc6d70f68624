import { revokeToken } from "@/lib/api/contracts/settings";
import { revokeApiToken } from "@/lib/auth/tokens";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** Revokes one of the caller's tokens; it stops working at once. */
export const DELETE = route(revokeToken, async ({ principal, params }) => {
  await revokeApiToken(getDb(), { userId: principal.userId, tokenId: params.id });
});
