import { z } from "zod";
import { requestIdSchema } from "@/lib/ledger/request-id";
import type { BillingReport } from "./billing-report";

// GET /v1/generation's query and answer, without the database: the contract reads them.

/** The answer's id (`chatcmpl-<request id>`), or the bare request id. */
export const generationQuerySchema = z.object({
  id: z
    .string()
    .transform((id) => id.replace(/^chatcmpl-/, ""))
    .pipe(requestIdSchema)
    .meta({ description: "The answer's `id` (`chatcmpl-…`), or the id an external router reported." }),
});

export interface Generation {
  id: string;
  model: string;
  provider_name: string;
  mode: BillingReport["mode"];
  created_at: string;
  /** Whether the router streamed it; null for a request an external router reported. */
  streamed: boolean | null;
  /** Milliseconds from calling the provider to its last byte; null as for `streamed`. */
  latency: number | null;
  tokens_prompt: number;
  tokens_completion: number;
  /** Of tokens_prompt, those served from the provider's cache (OpenRouter's name). */
  native_tokens_cached: number;
  /** Of tokens_completion, those spent reasoning. */
  native_tokens_reasoning: number;
  compute_ms: number;
  hardware: string | null;
  /** The same object as the answer's `usage.cost`. */
  cost: BillingReport;
}
