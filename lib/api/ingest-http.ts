import type { z } from "zod";
import { ingestEvents } from "@/lib/api/contracts/usage-events";
import { processAlertsSoon } from "@/lib/alerts/process";
import { serviceFromBearer } from "@/lib/auth/bearer";
import { collectThresholdChargesSoon } from "@/lib/ledger/collect-threshold-charges";
import type { Db } from "@/lib/db/prisma";
import { errorResponse } from "@/lib/http/error-response";
import { AppError } from "@/lib/kernel/errors";
import { jsonResponse } from "@/lib/http/json";
import { parse, readJson } from "@/lib/http/parse";
import type { HttpRequest } from "@/lib/http/serve-fetch";
import { ingestUsage } from "@/lib/usage/ingest";
import { ingestResultWire } from "@/lib/usage/ingest-wire";

/**
 * `POST /api/usage/events` as one fetch-style handler with nothing of Next.js in it. `npm start`
 * serves it directly, as it does `/v1`: through Next's request pipeline the app spent about a
 * seventh more CPU per event (bench:ingest, alternating: 37–39 µs against 33–34). The app route
 * (app/api/usage/events/route.ts) answers the same way, with ingestAnswer.
 */
export function ingestHandler(db: Db) {
  return async (req: HttpRequest): Promise<Response> => {
    try {
      if (req.method !== "POST")
        throw new AppError(
          405,
          "method_not_allowed",
          `${req.method} is not allowed here; send batches with POST.`,
        );
      const { serviceTokenId } = await serviceFromBearer(db, req.headers.get("authorization"));
      const { events } = parse(ingestEvents.body!, await readJson(req), "body");
      return await ingestAnswer(db, events, serviceTokenId);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** Ingests a batch whose shape was checked, sent by a service, and answers what became of each event. */
export async function ingestAnswer(db: Db, events: unknown[], serviceTokenId: string): Promise<Response> {
  const { results, thresholdChargesCreated, alertsFired } = await ingestUsage(db, events, { serviceTokenId });
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
}
