import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { ingestBodySchema, ingestUsage } from "@/lib/usage/ingest";

/** Usage from an external router: up to 1,000 events a batch, each counted once, forever. */
export const POST = route({ auth: "service", body: ingestBodySchema }, async ({ body }) => {
  const results = await ingestUsage(getDb(), body.events);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { recorded: count("recorded"), duplicates: count("duplicate"), refused: count("refused"), results };
});
