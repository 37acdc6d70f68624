import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setApiTokenLimit } from "@/lib/auth/token-limit";
import { createApiToken, hashToken } from "@/lib/auth/tokens";
import { AppError } from "@/lib/kernel/errors";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { settleUsage } from "./settle";
import { holdTokenBudget } from "./token-budget";
import { tokenWindowsAt } from "./token-spend";

// A limit set (or changed) mid-window counts what the token already spent in that window, read
// from the ledger; spend of earlier windows does not count.
const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const CENT = 10_000_000n;
const now = new Date("2026-11-18T15:00:00.000Z");

describe("a token's window opened mid-way", () => {
  it("starts from the token's spend in it, not before or after it", async () => {
    const user = await userAccount(db, "pro");
    const { token, record } = await createApiToken(db, { userId: user.userId, name: "t" });
    await settleUsage(db, [
      routedUsage(user.accountId, user.userId, new Date("2026-11-18T01:00:00.000Z"), 3, {
        tokenId: record.id,
      }),
      routedUsage(user.accountId, user.userId, new Date("2026-11-17T23:59:59.999Z"), 50, {
        tokenId: record.id,
      }),
      routedUsage(user.accountId, user.userId, new Date("2026-11-19T00:00:00.000Z"), 50, {
        tokenId: record.id,
      }), // the next day
      routedUsage(user.accountId, user.userId, new Date("2026-11-18T02:00:00.000Z"), 50), // no token
    ]);
    await setApiTokenLimit(db, {
      userId: user.userId,
      tokenId: record.id,
      limitCents: 4,
      limitReset: "daily",
    });
    expect(
      (await tokenWindowsAt(db, [{ id: record.id, limitReset: "daily" }], now)).get(record.id),
    ).toMatchObject({
      start: "2026-11-18T00:00:00.000Z",
      spentNano: String(3n * CENT),
      spentCents: 3,
    });
    const hold = (requestId: string, amountNano: bigint) =>
      holdTokenBudget(db, {
        tokenHash: hashToken(token),
        billTo: null,
        requestId: `${requestId}-${record.id}`,
        amountNano,
        now,
        expiresAt: new Date(now.getTime() + 60_000),
      });
    const refused = await hold("a", 2n * CENT).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).details).toMatchObject({ spentCents: 3, reservedCents: 0, limitCents: 4 });
    expect(await hold("b", CENT)).toBe(true); // exactly to the limit
    expect(await hold("c", 1n).catch((e: unknown) => (e as AppError).code)).toBe("token_limit_reached");
  });
});
