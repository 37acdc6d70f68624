import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/http/errors";
import { authenticateApiToken } from "./tokens";

export const tokenRequired = () =>
  new AppError(
    401,
    "unauthenticated",
    "Send an access token as `Authorization: Bearer <token>`. Create one at /settings/tokens.",
  );

/** The user an `Authorization: Bearer <token>` header acts for; a bad or service token is refused. */
export async function userFromBearer(db: Db, authorization: string): Promise<string> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const principal = match ? await authenticateApiToken(db, match[1]!) : null;
  if (!principal) {
    throw new AppError(
      401,
      "invalid_token",
      "The access token is malformed or revoked. Create one at /settings/tokens.",
    );
  }
  if (principal.kind !== "user") {
    throw new AppError(403, "forbidden", "Service tokens cannot act as a user; use a user access token.");
  }
  return principal.userId;
}
