import type { Db, DbTx } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { AppError, conflict } from "@/lib/kernel/errors";
import { chargeCard, NO_CARD } from "@/lib/ledger/charge";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { planInForce, PLAN_LABELS } from "@/lib/pricing/plans";
import { nextInvoiceNumber } from "./invoice-number";
import { chargeInvoice } from "./pay-invoice";
import { addMonthsUtc } from "@/lib/kernel/months";
import { storageOverageTb } from "@/lib/pricing/storage";
import { centsToNano } from "@/lib/money/units";
import { lockAccount } from "@/lib/db/account-lock";
import { isoDay } from "@/lib/kernel/period";

type Plan = "free" | "pro" | "team" | "enterprise";
const day = (d: Date) => new Date(isoDay(d));

/**
 * PRO, monthly, by card: the first month is charged now to the default card, and only once it
 * is paid does the account become PRO (invoicePaid starts it). The first month's invoice is the
 * business event paid for: one per account and day (unique), written under the account's lock
 * before any charge, so parallel subscribes share it and chargeInvoice charges it once. A
 * declined first month is voided (nothing is owed); subscribing again the same day reopens it.
 */
export async function subscribePro(
  db: Db,
  processor: PaymentProcessor,
  input: { accountId: string; now: Date },
) {
  const claim = await db.$transaction(async (tx) => {
    await lockAccount(tx, input.accountId);
    const account = await tx.billingAccount.findUniqueOrThrow({
      where: { id: input.accountId },
      select: {
        id: true,
        kind: true,
        plan: true,
        subscriptions: { where: { status: { in: ["active", "past_due"] } } },
      },
    });
    if (account.kind !== "user")
      throw new AppError(400, "invalid_plan", "PRO is a plan for personal accounts.");
    const live = account.subscriptions[0];
    if (live && account.plan === "pro") {
      if (!live.cancelAtPeriodEnd) throw conflict("already_subscribed", "You are already on PRO.");
      return {
        kind: "resumed" as const,
        subscription: await tx.subscription.update({
          where: { id: live.id },
          data: { cancelAtPeriodEnd: false, canceledAt: null },
        }),
      };
    }
    if (!(await chargeCard(tx, { accountId: account.id })))
      throw new AppError(402, NO_CARD.failureCode, NO_CARD.failureMessage);
    return { kind: "charge" as const, invoice: await firstMonthInvoice(tx, account.id, input.now) };
  });
  if (claim.kind === "resumed") return claim.subscription;

  const charge = await chargeInvoice(db, processor, { invoiceId: claim.invoice.id, now: input.now });
  if (charge.status === "failed") {
    await db.invoice.updateMany({
      where: { id: claim.invoice.id, status: { in: ["open", "failed"] } },
      data: { status: "void" },
    });
    throw new AppError(402, charge.failureCode, charge.failureMessage);
  }
  if (!charge.settledHere) throw conflict("already_subscribed", "You are already on PRO.");
  return db.subscription.findFirstOrThrow({
    where: { accountId: input.accountId, status: "active" },
  });
}

/** Today's first-month invoice: written once, or reopened after a declined first month. */
async function firstMonthInvoice(tx: DbTx, accountId: string, now: Date) {
  const periodStart = day(now);
  const existing = await tx.invoice.findUnique({
    where: { accountId_kind_periodStart: { accountId, kind: "subscription", periodStart } },
  });
  if (existing?.status === "void")
    return tx.invoice.update({ where: { id: existing.id }, data: { status: "open", issuedAt: now } });
  if (existing) return existing;
  const terms = await planInForce(tx, "pro", now);
  const end = addMonthsUtc(now, 1);
  return tx.invoice.create({
    data: {
      number: await nextInvoiceNumber(tx, now),
      accountId,
      kind: "subscription",
      periodStart,
      periodEnd: day(end),
      status: "open",
      subtotalCents: terms.feeCents,
      amountDueCents: terms.feeCents,
      issuedAt: now,
      lines: {
        create: [
          {
            position: 0,
            kind: "subscription",
            description: `PRO subscription, ${isoDay(now)} to ${isoDay(end)}`,
            quantity: 1n,
            amountNano: centsToNano(terms.feeCents),
            amountCents: terms.feeCents,
          },
        ],
      },
    },
  });
}

/**
 * Cancels at the end of the period already paid for: the plan's benefits last until then.
 * Cancelling again changes nothing (`changed` is false), however many tabs ask at once.
 */
export async function cancelSubscription(db: Db, input: { accountId: string; now: Date }) {
  const live = await db.subscription.findFirst({
    where: { accountId: input.accountId, status: { in: ["active", "past_due"] } },
  });
  if (!live) throw new AppError(404, "no_subscription", "There is no subscription to cancel.");
  const { count } = await db.subscription.updateMany({
    where: { id: live.id, cancelAtPeriodEnd: false },
    data: { cancelAtPeriodEnd: true, canceledAt: input.now },
  });
  return {
    subscription: await db.subscription.findUniqueOrThrow({ where: { id: live.id } }),
    changed: count === 1,
  };
}

/**
 * Renews every subscription whose period has ended: a cancelled one ends (the account returns
 * to Free); otherwise the seat count becomes the org's member count, and one invoice bills the
 * new period's fee and the ended period's private storage above what is included.
 */
export async function renewSubscriptions(db: Db, processor: PaymentProcessor, input: { now: Date }) {
  const due = await db.subscription.findMany({
    where: { status: { in: ["active", "past_due"] }, currentPeriodEnd: { lte: input.now } },
    include: { account: { select: { id: true, kind: true, orgId: true } } },
  });
  const results = [];
  for (const sub of due) results.push(await renewOne(db, processor, sub, input.now));
  return results;
}

async function renewOne(
  db: Db,
  processor: PaymentProcessor,
  sub: {
    id: string;
    plan: Plan;
    seats: number;
    currentPeriodStart: Date;
    currentPeriodEnd: Date;
    cancelAtPeriodEnd: boolean;
    account: { id: string; kind: "user" | "org"; orgId: string | null };
  },
  now: Date,
) {
  if (sub.cancelAtPeriodEnd) {
    // Once, whoever runs the job: the subscription ends only if it is still live.
    const ended = await db.$transaction(async (tx) => {
      const { count } = await tx.subscription.updateMany({
        where: { id: sub.id, status: { in: ["active", "past_due"] } },
        data: { status: "canceled" },
      });
      if (count === 0) return false;
      await tx.billingAccount.update({ where: { id: sub.account.id }, data: { plan: "free" } });
      await audit(tx, {
        accountId: sub.account.id,
        actorUserId: null, // the renewal job: the cancellation itself was audited with its author
        action: "billing.plan.update",
        target: sub.id,
        before: { plan: sub.plan },
        after: { plan: "free" },
      });
      return true;
    });
    return { subscriptionId: sub.id, outcome: ended ? ("ended" as const) : ("already_ended" as const) };
  }
  const start = sub.currentPeriodEnd;
  const end = addMonthsUtc(start, 1);
  const terms = await planInForce(db, sub.plan, start);
  const seats = sub.account.orgId
    ? Math.max(1, await db.membership.count({ where: { orgId: sub.account.orgId } }))
    : 1;
  const [peak] = await db.$queryRaw<{ bytes: bigint | null }[]>`
    SELECT max(bytes) AS bytes FROM storage_usage
    WHERE account_id = ${sub.account.id}::uuid AND day >= ${day(sub.currentPeriodStart)}::date AND day < ${day(start)}::date`;
  const includedTb = terms.includedStorageTb * (terms.perSeat ? sub.seats : 1);
  const overTb = storageOverageTb(peak?.bytes ?? 0n, includedTb);

  const feeQuantity = terms.perSeat ? seats : 1;
  const lines = [
    {
      kind: terms.perSeat ? ("seats" as const) : ("subscription" as const),
      description: terms.perSeat
        ? `${PLAN_LABELS[sub.plan]} plan, ${seats} seat${seats === 1 ? "" : "s"}`
        : `${PLAN_LABELS[sub.plan]} subscription`,
      quantity: BigInt(feeQuantity),
      amountCents: terms.feeCents * feeQuantity,
    },
    ...(overTb > 0n
      ? [
          {
            kind: "storage" as const,
            description: `Private storage above ${includedTb} TB, ${overTb} TB`,
            quantity: overTb,
            amountCents: Number(overTb) * terms.storageOverageCentsPerTb,
          },
        ]
      : []),
  ];
  const total = lines.reduce((s, l) => s + l.amountCents, 0);

  const invoice = await db.$transaction(async (tx) => {
    // Under the subscription's lock: of two jobs renewing it at once, the second finds the
    // first's invoice (the period's, unique) and writes nothing.
    await tx.$queryRaw`SELECT 1 FROM subscriptions WHERE id = ${sub.id}::uuid FOR UPDATE`;
    const existing = await tx.invoice.findUnique({
      where: {
        accountId_kind_periodStart: {
          accountId: sub.account.id,
          kind: "subscription",
          periodStart: day(start),
        },
      },
    });
    if (existing) return existing;
    const created = await tx.invoice.create({
      data: {
        number: await nextInvoiceNumber(tx, start),
        accountId: sub.account.id,
        kind: "subscription",
        periodStart: day(start),
        periodEnd: day(end),
        status: total > 0 ? "open" : "paid",
        subtotalCents: total,
        amountDueCents: total,
        issuedAt: now,
        paidAt: total > 0 ? null : now,
        lines: {
          create: lines.map((l, position) => ({
            ...l,
            position,
            amountNano: centsToNano(l.amountCents),
          })),
        },
      },
    });
    await tx.subscription.update({
      where: { id: sub.id },
      data: { currentPeriodStart: start, currentPeriodEnd: end, seats },
    });
    const before = await tx.billingAccount.findUniqueOrThrow({
      where: { id: sub.account.id },
      select: { seats: true },
    });
    await tx.billingAccount.update({ where: { id: sub.account.id }, data: { seats } });
    if (before.seats !== seats && sub.account.kind === "org")
      await audit(tx, {
        accountId: sub.account.id,
        actorUserId: null, // the renewal job sets seats to the member count
        action: "billing.seats.update",
        target: sub.id,
        before: { seats: before.seats },
        after: { seats },
      });
    return created;
  });

  // The renewal job is the invoice's own first attempt: it may finish one a crash left pending.
  const charge =
    invoice.status === "paid"
      ? null
      : await chargeInvoice(db, processor, { invoiceId: invoice.id, firstAttempt: true, now });
  const paid = !charge || charge.status === "paid";
  if (!paid) await db.subscription.update({ where: { id: sub.id }, data: { status: "past_due" } });
  return {
    subscriptionId: sub.id,
    outcome: paid ? ("renewed" as const) : ("payment_failed" as const),
    invoiceId: invoice.id,
    seats,
    storageOverageTb: overTb,
  };
}
