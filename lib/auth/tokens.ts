import { TOKEN_PERMISSIONS, type TokenPermission, type TokenScope } from "./token-scope";
import { createHash, randomBytes } from "node:crypto";
import type { LimitReset, TokenWindowSpend } from "./token-window";
import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { notFound } from "@/lib/kernel/errors";

const TOKEN_PREFIX = "hf_";
/** lastUsedAt is written at most this often per token, so authentication stays a read. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** 240 random bits: far beyond guessing, so a plain SHA-256 (not a slow hash) is the right store. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(30).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const publicFields = {
  id: true,
  kind: true,
  name: true,
  last4: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  permissions: true,
  billToAny: true,
  billToOrgs: true,
  limitCents: true,
  limitReset: true,
} as const;

/** Creates a user token; the returned `token` is the only time it exists in clear. */
export async function createApiToken(
  db: Db,
  input: {
    userId: string;
    name: string;
    expiresAt?: Date | null;
    permissions?: TokenPermission[];
    billToOrgs?: string[] | null;
    /** A limit of its own per window (lib/auth/token-window.ts); both or neither. */
    limitCents?: number | null;
    limitReset?: LimitReset | null;
  },
) {
  const token = generateToken();
  const record = await db.apiToken.create({
    data: {
      kind: "user",
      userId: input.userId,
      name: input.name,
      expiresAt: input.expiresAt ?? null,
      permissions: input.permissions ? [...new Set(input.permissions)] : [...TOKEN_PERMISSIONS],
      // Absent or null: any org the user belongs to; a list: only those (none for []).
      billToAny: input.billToOrgs == null,
      billToOrgs: input.billToOrgs ? [...new Set(input.billToOrgs)] : [],
      limitCents: input.limitCents ?? null,
      limitReset: input.limitCents == null ? null : (input.limitReset ?? null),
      tokenHash: hashToken(token),
      last4: token.slice(-4),
    },
    select: publicFields,
  });
  return { token, record };
}

export function listApiTokens(db: Db, userId: string) {
  return db.apiToken.findMany({
    where: { userId, revokedAt: null },
    select: publicFields,
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes one of the user's own tokens; another user's token id is "not found", never "forbidden". */
export async function revokeApiToken(db: Db, input: { userId: string; tokenId: string }) {
  const { count } = await db.apiToken.updateMany({
    where: { id: input.tokenId, userId: input.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw notFound("Token", { tokenId: input.tokenId });
}

/** The stored hash of a token, or null when it cannot be one of ours (not worth a lookup). */
export function tokenHashOf(token: string): string | null {
  return token.startsWith(TOKEN_PREFIX) && token.length <= 200 ? hashToken(token) : null;
}

export type TokenPrincipal =
  { kind: "user"; userId: string; tokenId: string; scope: TokenScope } | { kind: "service"; tokenId: string };

/**
 * Who a bearer token acts for, or null when it is unknown or revoked. On every API request, so
 * one prepared statement (no ORM); last-used is written at most once a minute.
 */
export async function authenticateApiToken(db: Db, token: string): Promise<TokenPrincipal | null> {
  const hash = tokenHashOf(token);
  if (hash === null) return null;
  const {
    rows: [row],
  } = await poolOf(db).query<
    {
      id: string;
      kind: "user" | "service";
      userId: string | null;
      touch: boolean;
    } & TokenScope
  >(sql`
    SELECT id, kind::text AS kind, user_id AS "userId", expires_at AS "expiresAt", permissions,
           bill_to_any AS "billToAny", bill_to_orgs AS "billToOrgs",
           last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_RESOLUTION_MS} * interval '1 millisecond' AS touch
    FROM api_tokens WHERE token_hash = ${hash} AND revoked_at IS NULL`);
  if (!row) return null;
  if (row.touch)
    await poolOf(db).query(sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.id}::uuid`);
  if (row.kind === "service") return { kind: "service", tokenId: row.id };
  const { expiresAt, permissions, billToAny, billToOrgs } = row;
  return {
    kind: "user",
    userId: row.userId!,
    tokenId: row.id,
    scope: { expiresAt, permissions, billToAny, billToOrgs },
  };
}

/** A token as the API and pages show it: never the token or its hash. */
export interface TokenDto {
  id: string;
  name: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  permissions: string[];
  /** The orgs it may bill with X-HF-Bill-To; null: any org its user belongs to. */
  billToOrgs: string[] | null;
  /** Its own spending limit per window in whole cents, and when the window resets; null: none. */
  limitCents: number | null;
  limitReset: LimitReset | null;
  /** The limit's current window by the billing clock: its spend and holds; null without a limit. */
  window: TokenWindowSpend | null;
}

export function tokenDto(
  t: {
    id: string;
    name: string;
    last4: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    expiresAt: Date | null;
    permissions: string[];
    billToAny: boolean;
    billToOrgs: string[];
    limitCents: number | null;
    limitReset: string | null;
  },
  window: TokenWindowSpend | null = null,
): TokenDto {
  return {
    id: t.id,
    name: t.name,
    last4: t.last4,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    permissions: t.permissions,
    billToOrgs: t.billToAny ? null : t.billToOrgs,
    limitCents: t.limitCents,
    limitReset: t.limitCents === null ? null : (t.limitReset as LimitReset),
    window: t.limitCents === null ? null : window,
  };
}

/** A service token, for an external router that reports usage (POST /api/usage/events). */
export async function createServiceToken(db: Db, input: { name: string }) {
  const token = generateToken();
  const record = await db.apiToken.create({
    data: { kind: "service", name: input.name, tokenHash: hashToken(token), last4: token.slice(-4) },
    select: publicFields,
  });
  return { token, record };
}
