import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { tokenRefusal, type TokenPermission } from "./token-scope";
import { authenticateApiToken, tokenHashOf } from "./tokens";

export const tokenRequired = () =>
  new AppError(
    401,
    "unauthenticated",
    "Send an access token as `Authorization: Bearer <token>`. Create one at /settings/tokens.",
  );

export const invalidToken = () =>
  new AppError(
    401,
    "invalid_token",
    "The access token is malformed or revoked. Create one at /settings/tokens.",
  );

export const serviceTokenRefused = () =>
  new AppError(403, "forbidden", "Service tokens cannot act as a user; use a user access token.");

const bearerToken = (authorization: string) => /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;

/** The stored hash of the access token an `Authorization: Bearer <token>` header carries; a malformed one is refused. */
export function bearerTokenHash(authorization: string): string {
  const token = bearerToken(authorization);
  const hash = token === null ? null : tokenHashOf(token);
  if (hash === null) throw invalidToken();
  return hash;
}

/** Whom the access token in an `Authorization: Bearer <token>` header stands for; null for none, a malformed or a revoked one. */
async function principalFromBearer(db: Db, authorization: string | null) {
  const token = authorization === null ? null : bearerToken(authorization);
  return token === null ? null : authenticateApiToken(db, token);
}

/**
 * The user an `Authorization: Bearer <token>` header acts for, when the token may do `permission`;
 * a bad, expired or service token, or one without the permission, is refused.
 */
export async function userFromBearer(
  db: Db,
  authorization: string,
  permission: TokenPermission,
): Promise<string> {
  const principal = await principalFromBearer(db, authorization);
  if (!principal) throw invalidToken();
  if (principal.kind !== "user") throw serviceTokenRefused();
  const refusal = tokenRefusal(principal.scope, { permission, billTo: null, now: new Date() });
  if (refusal) throw refusal;
  return principal.userId;
}

/** The service token an `Authorization` header carries (an external router's); anything else is refused. */
export async function serviceFromBearer(
  db: Db,
  authorization: string | null,
): Promise<{ serviceTokenId: string }> {
  const principal = await principalFromBearer(db, authorization);
  if (!principal)
    throw new AppError(401, "invalid_token", "Send a service token as `Authorization: Bearer <token>`.");
  if (principal.kind !== "service")
    throw new AppError(403, "forbidden", "This endpoint needs a service token, not a user token.");
  return { serviceTokenId: principal.tokenId };
}
