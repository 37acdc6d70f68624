import { AppError } from "@/lib/kernel/errors";

export const TOKEN_PERMISSIONS = ["inference", "read", "write"] as const;
export type TokenPermission = (typeof TOKEN_PERMISSIONS)[number];

/** What a user access token may do, as stored with it. */
export interface TokenScope {
  expiresAt: Date | null;
  permissions: readonly string[];
  /** Whether it may bill any org its user belongs to; else only billToOrgs. */
  billToAny: boolean;
  billToOrgs: readonly string[];
}

/** What a request needs of its token: a permission, and the org it bills (X-HF-Bill-To), if any. */
export interface TokenNeed {
  permission: TokenPermission;
  billTo: string | null;
  now: Date;
}

export const tokenExpired = (expiresAt: Date) =>
  new AppError(
    401,
    "token_expired",
    `This access token expired at ${expiresAt.toISOString()}. Create a new one at /settings/tokens.`,
    { expiresAt: expiresAt.toISOString() },
  );

/**
 * THE rule for what a token may do: not expired, with the permission the request needs, and
 * allowed to bill the org it names. The error that refuses it, or null. The router's admission
 * statement checks it in SQL with tokenAllowsInferenceSql (token-scope-sql.ts), its twin (lib/auth/token-scope.int.test.ts).
 */
export function tokenRefusal(scope: TokenScope, need: TokenNeed): AppError | null {
  if (scope.expiresAt !== null && scope.expiresAt <= need.now) return tokenExpired(scope.expiresAt);
  if (!scope.permissions.includes(need.permission))
    return new AppError(
      403,
      "token_scope",
      `This access token lacks the ${need.permission} permission. Create one with it at /settings/tokens.`,
      { missing: need.permission },
    );
  if (need.billTo !== null && !scope.billToAny && !scope.billToOrgs.includes(need.billTo))
    return new AppError(
      403,
      "token_scope",
      `This access token may not bill ${need.billTo}. Create one that may at /settings/tokens, or drop X-HF-Bill-To.`,
      { missing: "bill_to", org: need.billTo },
    );
  return null;
}
