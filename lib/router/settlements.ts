import type { Commit, Db } from "@/lib/db/prisma";
import { GroupCommit } from "@/lib/db/group-commit";
import { settleHeld, type HeldSettlement, type SettleResult, type Settled } from "@/lib/ledger/settle";
import { collectThresholdChargesSoon } from "@/lib/ledger/collect-threshold-charges";
import { processAlertsSoon } from "@/lib/alerts/process";
import type { PriceBook } from "@/lib/pricing/price-book";
import { BATCH_WINDOW_MS } from "./admissions";

/**
 * The router's settlements of held requests, written together (GroupCommit): one settleHeld
 * statement for the requests that finish while the previous one is in flight. Each request
 * still waits for its own, so its answer says what was billed and nothing is answered unbilled.
 */
export function settlementQueue(db: Db, commit: Commit = "async") {
  return new GroupCommit<{ item: HeldSettlement; book: PriceBook }, SettleResult>(
    async (batch) => {
      const settled = await settleHeld(
        db,
        batch.map((b) => b.item),
        { book: batch[0]!.book, commit },
      );
      afterSettlement(db, settled);
      return settled.results;
    },
    // One price book per statement (a catalog reload can leave two in the queue for a moment).
    { key: (b) => b.book, windowMs: BATCH_WINDOW_MS },
  );
}
export type SettlementQueue = ReturnType<typeof settlementQueue>;

/** Threshold charges and alerts that became due are handled after the answers, not before. */
export function afterSettlement(db: Db, settled: Pick<Settled, "thresholdChargesCreated" | "alertsFired">) {
  if (settled.thresholdChargesCreated > 0) collectThresholdChargesSoon(db);
  if (settled.alertsFired > 0) processAlertsSoon(db);
}
