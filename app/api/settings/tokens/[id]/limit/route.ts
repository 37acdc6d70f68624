import { putTokenLimit } from "@/lib/api/contracts/settings";
import { setApiTokenLimit } from "@/lib/auth/token-limit";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";

/** Sets or removes (limitCents null) the spending limit of one of the caller's tokens; audited. */
export const PUT = route(putTokenLimit, async ({ principal, params, body }) => {
  return setApiTokenLimit(getDb(), {
    userId: principal.userId,
    tokenId: params.id,
    limitCents: body.limitCents,
    limitReset: body.limitCents === null ? null : body.limitReset!,
  });
});
