import { AppError } from "@/lib/kernel/errors";

/** Where the clock's offset is kept: the database's billing_clock row (any client or transaction). */
export interface ClockStore {
  billingClock: {
    findUnique(args: { where: { id: number } }): PromiseLike<{ offsetMs: bigint } | null>;
    upsert(args: {
      where: { id: number };
      create: { id: number; offsetMs: bigint };
      update: { offsetMs: bigint; updatedAt: Date };
    }): PromiseLike<unknown>;
  };
}

/**
 * The one source of "now" for billing. Outside production it is real time plus an offset
 * kept in the database (so the app, the CLI and tests agree), which tests and demos move to a
 * month end without waiting. In production it is always real time and cannot be moved.
 */
export async function billingNow(db: ClockStore, opts: { production: boolean }): Promise<Date> {
  if (opts.production) return new Date();
  const clock = await db.billingClock.findUnique({ where: { id: 1 } });
  return new Date(Date.now() + Number(clock?.offsetMs ?? 0n));
}

export async function setBillingNow(db: ClockStore, at: Date, opts: { production: boolean }): Promise<Date> {
  if (opts.production) {
    throw new AppError(403, "clock_not_settable", "The billing clock cannot be moved in production.");
  }
  const offsetMs = BigInt(at.getTime() - Date.now());
  await db.billingClock.upsert({
    where: { id: 1 },
    create: { id: 1, offsetMs },
    update: { offsetMs, updatedAt: new Date() },
  });
  return at;
}
