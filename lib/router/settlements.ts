import type { Commit, Db } from "@/lib/db/prisma";
import { settleHeld, type HeldSettlement, type SettleResult, type Settled } from "@/lib/billing/settle";
import { collectThresholdChargesSoon } from "@/lib/billing/collect-threshold-charges";
import { processAlertsSoon } from "@/lib/alerts/process";
import type { PriceBook } from "@/lib/pricing/price-book";

interface Waiting {
  item: HeldSettlement;
  book: PriceBook;
  resolve: (r: SettleResult) => void;
  reject: (e: unknown) => void;
}

/** The most requests one settlement statement carries. */
const MAX_BATCH = 500;

/**
 * The router's settlements, written together (group commit): while one statement is in
 * flight, the requests that finish queue up and all go in the next one. Each request waits for
 * its own statement, so its answer still says what was billed, and nothing is answered before it
 * is stored; with no other traffic, a request is written at once. Under load this turns a
 * statement per request into a statement per batch, on the database and in this process.
 */
export class SettlementQueue {
  private waiting: Waiting[] = [];
  private flushing = false;
  /** How many settlement statements carried how many requests (for tests and benchmarks). */
  readonly stats = { statements: 0, requests: 0 };

  constructor(
    private readonly db: Db,
    private readonly commit: Commit = "async",
  ) {}

  settle(item: HeldSettlement, book: PriceBook): Promise<SettleResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, book, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) {
      // One price book per statement (a catalog reload can leave two in the queue for a moment).
      const book = this.waiting[0]!.book;
      const batch = this.waiting.filter((w) => w.book === book).slice(0, MAX_BATCH);
      const taken = new Set(batch);
      this.waiting = this.waiting.filter((w) => !taken.has(w));
      await this.write(batch, book);
    }
    this.flushing = false;
  }

  private async write(batch: Waiting[], book: PriceBook): Promise<void> {
    this.stats.statements++;
    this.stats.requests += batch.length;
    try {
      const settled = await settleHeld(
        this.db,
        batch.map((w) => w.item),
        { book, commit: this.commit },
      );
      afterSettlement(this.db, settled);
      batch.forEach((w, i) => w.resolve(settled.results[i]!));
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      // One request's failure is its own: settle each alone, so the others are billed and answered.
      await Promise.all(batch.map((w) => this.write([w], book)));
    }
  }
}

/** Threshold charges and alerts that became due are handled after the answers, not before. */
export function afterSettlement(db: Db, settled: Pick<Settled, "thresholdChargesCreated" | "alertsFired">) {
  if (settled.thresholdChargesCreated > 0) collectThresholdChargesSoon(db);
  if (settled.alertsFired > 0) processAlertsSoon(db);
}
