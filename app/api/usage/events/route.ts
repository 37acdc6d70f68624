import type { z } from "zod";
import { ingestEvents } from "@/lib/api/contracts/usage-events";
import { getDb } from "@/lib/db/client";
import { collectThresholdChargesSoon } from "@/lib/billing/collect-threshold-charges";
import { jsonResponse } from "@/lib/http/json";
import { route } from "@/lib/http/route";
import { processAlertsSoon } from "@/lib/alerts/process";
import { ingestUsage } from "@/lib/usage/ingest";
import { ingestResultWire } from "@/lib/usage/ingest-wire";

/** Usage from an external router: up to 1,000 events a batch, each counted once, forever. */
export const POST = route(ingestEvents, async ({ body }) => {
  const db = getDb();
  const { results, thresholdChargesCreated, alertsFired } = await ingestUsage(db, body.events);
  if (thresholdChargesCreated > 0) collectThresholdChargesSoon(db);
  if (alertsFired > 0) processAlertsSoon(db);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const answer = {
    recorded: count("recorded"),
    duplicates: count("duplicate"),
    refused: count("refused"),
    results: results.map(ingestResultWire),
  } satisfies z.input<typeof ingestEvents.response.schema>;
  // Sent uncompressed (no-transform): gzip of a 1,000-event answer (about 100 KB) took some 3% of
  // the server's CPU under ingestion load, and the sending router pays again to inflate it.
  return jsonResponse(answer, { headers: { "cache-control": "no-store, no-transform" } });
});
