import { z } from "zod";
import { periodSchema } from "@/lib/kernel/period";
import { checkConservation } from "@/lib/ledger/conservation";
import { reconcileMonth } from "@/lib/ledger/reconcile";
import { AppError } from "@/lib/kernel/errors";
import { command } from "../command";

export const reconcileCommands = {
  reconcile: command({
    usage: "reconcile YYYY-MM [--repair]   (rollups and counters recomputed from raw events)",
    positional: "month",
    switches: ["repair"],
    flags: z.strictObject({ month: periodSchema, repair: z.literal(true).optional() }),
    run: ({ db }, f) => reconcileMonth(db, { period: f.month, repair: f.repair ?? false }),
  }),
  "check-money": command({
    usage:
      "check-money   (the local processor's captures against invoices and threshold charges; exit 1 on a difference)",
    flags: z.strictObject({}),
    async run({ db }) {
      const report = await checkConservation(db);
      if (!report.ok)
        throw new AppError(409, "money_not_conserved", `${report.problems.length} difference(s).`, {
          ...report,
        });
      return report;
    },
  }),
};
