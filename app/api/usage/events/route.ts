import { getDb } from "@/lib/db/client";
import { collectThresholdChargesSoon } from "@/lib/billing/collect-threshold-charges";
import { route } from "@/lib/http/route";
import { processAlertsSoon } from "@/lib/alerts/process";
import { ingestBodySchema, ingestUsage } from "@/lib/usage/ingest";

/** Usage from an external router: up to 1,000 events a batch, each counted once, forever. */
export const POST = route({ auth: "service", body: ingestBodySchema }, async ({ body }) => {
  const db = getDb();
  const { results, thresholdChargesCreated, alertsFired } = await ingestUsage(db, body.events);
  if (thresholdChargesCreated > 0) collectThresholdChargesSoon(db);
  if (alertsFired > 0) processAlertsSoon(db);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { recorded: count("recorded"), duplicates: count("duplicate"), refused: count("refused"), results };
});
