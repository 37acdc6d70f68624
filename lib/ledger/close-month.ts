import type { Db, DbTx } from "@/lib/db/prisma";
import { AppError } from "@/lib/kernel/errors";
import { centsToNumber } from "@/lib/money/units";
import type { PaymentProcessor } from "@/lib/payments/processor";
import { nextInvoiceNumber } from "./invoice-number";
import { chargeInvoice } from "./pay-invoice";
import { formatPeriod, isoDay, nextPeriod, periodStart } from "@/lib/kernel/period";
import { buildUsageInvoice, type UsageGroup } from "./usage-invoice";
import { lockAccount } from "@/lib/db/account-lock";

/**
 * Closes a month: one usage invoice per account with routed usage or threshold payments in it
 * (lines per provider and model, credits applied, threshold payments already made, amount
 * due), then charges what is due. Idempotent: an account's invoice is created once (unique per
 * account and month) and charged once (the charge's idempotency key is the invoice), so
 * running it again, or after a crash halfway, finishes the job and changes nothing else.
 */
export async function closeMonth(db: Db, processor: PaymentProcessor, input: { period: Date; now: Date }) {
  const { period } = input;
  const end = nextPeriod(period);
  if (end > periodStart(input.now)) {
    throw new AppError(
      409,
      "month_not_over",
      `${formatPeriod(period)} is not over yet: it can be closed from ${isoDay(end)}.`,
    );
  }
  const accounts = await db.$queryRaw<{ accountId: string }[]>`
    SELECT DISTINCT account_id AS "accountId" FROM usage_daily
    WHERE day >= ${isoDay(period)}::date AND day < ${isoDay(end)}::date AND mode = 'routed'
    UNION
    SELECT account_id FROM threshold_charges WHERE period = ${isoDay(period)}::date`;

  let created = 0;
  for (const { accountId } of accounts) {
    if (await createUsageInvoice(db, { accountId, period, end, issuedAt: input.now })) created += 1;
  }

  // Charge every invoice of the month still open (none refused yet), including ones a crash left
  // behind: not tried yet; tried with no answer recorded (its payment still pending: asked again
  // with the same key and card, so it is charged once); or answered, but the invoice not updated
  // (the recorded answer is applied, nothing is charged). chargeInvoice makes each one charge.
  const unpaid = await db.invoice.findMany({
    where: { kind: "usage", periodStart: period, status: "open" },
    select: { id: true },
  });
  const charged = [];
  for (const invoice of unpaid)
    charged.push(await chargeInvoice(db, processor, { invoiceId: invoice.id, firstAttempt: true }));
  return {
    period: formatPeriod(period),
    invoicesCreated: created,
    charged: charged.filter((c) => c.status === "paid").length,
    failed: charged.filter((c) => c.status === "failed").length,
  };
}

async function createUsageInvoice(
  db: Db,
  input: { accountId: string; period: Date; end: Date; issuedAt: Date },
) {
  return db.$transaction(async (tx) => {
    // Under the account's lock: of two closes at once, the second finds the first's invoice.
    await lockAccount(tx, input.accountId);
    const exists = await tx.invoice.findUnique({
      where: {
        accountId_kind_periodStart: { accountId: input.accountId, kind: "usage", periodStart: input.period },
      },
      select: { id: true },
    });
    if (exists) return false;

    const groups = await tx.$queryRaw<Omit<UsageGroup, "description">[]>`
      SELECT d.provider_id AS "providerId", d.model_id AS "modelId", sum(d.requests)::bigint AS requests,
             sum(d.cost_nano)::bigint AS "costNano", sum(d.credits_nano)::bigint AS "creditsNano",
             sum(d.payg_nano)::bigint AS "paygNano"
      FROM usage_daily d
      WHERE d.account_id = ${input.accountId}::uuid AND d.mode = 'routed'
        AND d.day >= ${isoDay(input.period)}::date AND d.day < ${isoDay(input.end)}::date
      GROUP BY 1, 2`;
    const names = await namesOf(tx, groups);
    const prepaid = await tx.thresholdCharge.findMany({
      where: { accountId: input.accountId, period: input.period, payment: { status: "succeeded" } },
      orderBy: { seq: "asc" },
      select: { amountCents: true },
    });
    const draft = buildUsageInvoice(
      groups.map((g) => ({
        ...g,
        description: `${names.models.get(g.modelId) ?? g.modelId} on ${names.providers.get(g.providerId) ?? g.providerId}`,
      })),
      prepaid.map((p) => BigInt(p.amountCents)),
    );
    await tx.invoice.create({
      data: {
        number: await nextInvoiceNumber(tx, input.period),
        accountId: input.accountId,
        kind: "usage",
        periodStart: input.period,
        periodEnd: input.end,
        status: draft.amountDueCents > 0n ? "open" : "paid",
        subtotalCents: centsToNumber(draft.subtotalCents),
        creditsCents: centsToNumber(draft.creditsCents),
        prepaidCents: centsToNumber(draft.prepaidCents),
        amountDueCents: centsToNumber(draft.amountDueCents),
        issuedAt: input.issuedAt,
        paidAt: draft.amountDueCents > 0n ? null : input.issuedAt,
        lines: {
          create: draft.lines.map((l, position) => ({
            ...l,
            position,
            amountCents: centsToNumber(l.amountCents),
          })),
        },
      },
    });
    return true;
  });
}

async function namesOf(tx: DbTx, groups: { providerId: string; modelId: string }[]) {
  const [providers, models] = await Promise.all([
    tx.provider.findMany({
      where: { id: { in: groups.map((g) => g.providerId) } },
      select: { id: true, displayName: true },
    }),
    tx.model.findMany({
      where: { id: { in: groups.map((g) => g.modelId) } },
      select: { id: true, displayName: true },
    }),
  ]);
  return {
    providers: new Map(providers.map((p) => [p.id, p.displayName])),
    models: new Map(models.map((m) => [m.id, m.displayName])),
  };
}
