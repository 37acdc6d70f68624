import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { createApiToken, hashToken } from "@/lib/auth/tokens";
import { settleUsage } from "@/lib/ledger/settle";
import { periodStart } from "@/lib/kernel/period";
import { AppError } from "@/lib/kernel/errors";
import { loadPayers, type PayerQuery } from "./payer";

const db = testDb();
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const now = new Date();
const period = periodStart(now);
const CENT = 10_000_000n;

const ask = (
  caller: PayerQuery["caller"],
  amountNano: bigint | null,
  billTo: string | null = null,
): PayerQuery => ({
  caller,
  billTo,
  providerId: "test-routed",
  period,
  hold:
    amountNano === null
      ? null
      : { requestId: randomUUID(), amountNano, expiresAt: new Date(now.getTime() + 60_000) },
});

const monthOf = (accountId: string) =>
  db.accountPeriod.findUniqueOrThrow({ where: { accountId_period: { accountId, period } } });

describe("loadPayers: many requests in one statement", () => {
  it("answers each request on its own: a bad token or a non-member refuses only its own", async () => {
    const [a, b] = [await userAccount(db, "pro"), await userAccount(db, "pro")];
    const org = await orgAccount(db, "team", 1, 1);
    for (const u of [a, b]) await settleUsage(db, [routedUsage(u.accountId, u.userId, now, 1)]); // the month rows
    const tokenA = (await createApiToken(db, { userId: a.userId, name: "t" })).token;

    const found = await loadPayers(db, [
      ask({ tokenHash: hashToken(tokenA) }, 3n * CENT),
      ask({ tokenHash: hashToken("hf_not-a-token") }, 3n * CENT),
      ask({ userId: b.userId }, 3n * CENT, org.orgName),
      ask({ userId: b.userId }, 5n * CENT),
    ]);

    expect(found[0]).toMatchObject({ accountId: a.accountId, caller: { userId: a.userId } });
    expect(found[0]).not.toBeInstanceOf(Error);
    expect(found[1]).toMatchObject({ status: 401, code: "invalid_token" });
    expect(found[2]).toMatchObject({ status: 403, code: "not_org_member" });
    expect(found[3]).toMatchObject({ accountId: b.accountId, caller: { userId: b.userId } });
    for (const f of [found[0], found[3]])
      expect((f as { reservationId: string | null }).reservationId).not.toBeNull();
    expect((await monthOf(a.accountId)).reservedNano).toBe(3n * CENT);
    expect((await monthOf(b.accountId)).reservedNano).toBe(5n * CENT);
    expect(await db.reservation.count({ where: { accountId: org.accountId } })).toBe(0);
  });

  it("places a month's holds all together or none of them, never past its credits", async () => {
    const free = await userAccount(db, "free"); // $0.10 of credits
    await settleUsage(db, [routedUsage(free.accountId, free.userId, now, 1)]); // $0.00001 used
    const caller = { userId: free.userId };

    const tooMany = await loadPayers(db, [
      ask(caller, 4n * CENT),
      ask(caller, 4n * CENT),
      ask(caller, 4n * CENT),
    ]);
    expect(tooMany.map((f) => (f instanceof AppError ? f.code : f.reservationId))).toEqual([
      null,
      null,
      null,
    ]);
    expect((await monthOf(free.accountId)).reservedNano).toBe(0n);

    const fit = await loadPayers(db, [ask(caller, 4n * CENT), ask(caller, 5n * CENT), ask(caller, null)]);
    expect(fit.map((f) => (f instanceof AppError ? f.code : f.reservationId !== null))).toEqual([
      true,
      true,
      false,
    ]);
    const month = await monthOf(free.accountId);
    expect(month.reservedNano).toBe(9n * CENT);
    expect(await db.reservation.count({ where: { accountId: free.accountId } })).toBe(2);
  });
});
