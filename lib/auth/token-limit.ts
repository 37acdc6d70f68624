import { audit } from "@/lib/audit/log";
import type { Db } from "@/lib/db/prisma";
import { notFound } from "@/lib/kernel/errors";
import type { LimitReset } from "./token-window";

export interface TokenLimit {
  limitCents: number | null;
  limitReset: LimitReset | null;
}

/**
 * Sets or removes (limitCents null) the spending limit of one of the user's own tokens, audited
 * on the user's account. Another user's token is "not found", never "forbidden". Spend already
 * counted in the current window stays counted: a raised limit gives room at once, a lowered one
 * may already be passed.
 */
export async function setApiTokenLimit(
  db: Db,
  input: { userId: string; tokenId: string } & TokenLimit,
): Promise<TokenLimit> {
  const after: TokenLimit =
    input.limitCents === null
      ? { limitCents: null, limitReset: null }
      : { limitCents: input.limitCents, limitReset: input.limitReset };
  return db.$transaction(async (tx) => {
    // The token's row lock orders concurrent changes, so each audit entry's "before" is true.
    const [before] = await tx.$queryRaw<
      { limitCents: number | null; limitReset: LimitReset | null; last4: string }[]
    >`
      SELECT limit_cents AS "limitCents", limit_reset AS "limitReset", last4 FROM api_tokens
      WHERE id = ${input.tokenId}::uuid AND user_id = ${input.userId}::uuid AND kind = 'user' AND revoked_at IS NULL
      FOR UPDATE`;
    if (!before) throw notFound("Token", { tokenId: input.tokenId });
    await tx.apiToken.update({ where: { id: input.tokenId }, data: after });
    if (before.limitCents !== after.limitCents || before.limitReset !== after.limitReset) {
      const account = await tx.billingAccount.findUniqueOrThrow({
        where: { userId: input.userId },
        select: { id: true },
      });
      await audit(tx, {
        accountId: account.id,
        actorUserId: input.userId,
        action: "access_token.limit.update",
        target: input.tokenId,
        before: { last4: before.last4, limitCents: before.limitCents, limitReset: before.limitReset },
        after: { last4: before.last4, ...after },
      });
    }
    return after;
  });
}
