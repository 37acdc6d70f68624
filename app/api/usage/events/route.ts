import { ingestEvents } from "@/lib/api/contracts/usage-events";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { ingestAnswer } from "@/lib/api/ingest-http";

/**
 * Usage from an external router: up to 1,000 events a batch, each counted once, forever.
 * `npm start` serves this path with lib/api/ingest-http.ts directly, off Next's pipeline.
 */
export const POST = route(ingestEvents, ({ body, principal }) =>
  ingestAnswer(getDb(), body.events, principal.serviceTokenId),
);
