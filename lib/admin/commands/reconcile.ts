import { z } from "zod";
import { periodSchema } from "@/lib/billing/period";
import { reconcileMonth } from "@/lib/billing/reconcile";
import { command } from "../command";

export const reconcileCommands = {
  reconcile: command({
    usage: "reconcile YYYY-MM [--repair]   (rollups and counters recomputed from raw events)",
    positional: "month",
    switches: ["repair"],
    flags: z.strictObject({ month: periodSchema, repair: z.literal(true).optional() }),
    run: ({ db }, f) => reconcileMonth(db, { period: f.month, repair: f.repair ?? false }),
  }),
};
