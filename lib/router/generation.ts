import { poolOf, type Db } from "@/lib/db/prisma";
import { sql } from "@/lib/db/sql";
import { AppError } from "@/lib/kernel/errors";
import { billingReport, type BillingReport } from "./billing-report";
import type { Generation } from "./generation-wire";

interface Found {
  id: string;
  modelId: string;
  providerId: string;
  mode: BillingReport["mode"];
  occurredAt: Date;
  streamed: boolean | null;
  latencyMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  computeMs: number;
  hardware: string | null;
  costNano: string;
  creditsNano: string;
  paygNano: string;
  orgName: string | null;
  visible: boolean;
}

const notFound = (id: string) =>
  new AppError(404, "generation_not_found", `There is no request ${id} that you can see.`, { id });

/**
 * GET /v1/generation (OpenRouter's shape): one request's cost and details by its id. The caller
 * sees the requests they made, and an org's admins those billed to the org; any other id is
 * answered as unknown, so ids of others cannot be probed.
 */
export async function findGeneration(
  db: Db,
  input: { userId: string; id: string },
): Promise<{ data: Generation }> {
  // The id registry gives the event's partition key, so one partition is read.
  const { rows } = await poolOf(db).query<Found>(sql`
    SELECT e.id, e.model_id AS "modelId", e.provider_id AS "providerId", e.mode::text AS mode,
           e.occurred_at AS "occurredAt", e.streamed, e.latency_ms AS "latencyMs",
           e.input_tokens AS "inputTokens", e.output_tokens AS "outputTokens", e.compute_ms AS "computeMs",
           e.cached_input_tokens AS "cachedInputTokens", e.reasoning_tokens AS "reasoningTokens",
           e.hardware, e.cost_nano::text AS "costNano", e.credits_nano::text AS "creditsNano",
           e.payg_nano::text AS "paygNano", o.name AS "orgName",
           e.user_id = ${input.userId}::uuid
             OR EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.user_id = ${input.userId}::uuid
                                                      AND m.role = 'admin') AS visible
    FROM usage_event_ids i
    JOIN usage_events e ON e.account_id = i.account_id AND e.occurred_at = i.occurred_at AND e.id = i.id
    JOIN billing_accounts a ON a.id = e.account_id
    LEFT JOIN organizations o ON o.id = a.org_id
    WHERE i.id = ${input.id}`);
  const e = rows[0];
  if (!e?.visible) throw notFound(input.id);
  return {
    data: {
      // The answer's id for a request the router served; an external router's own id otherwise.
      id: e.streamed === null ? e.id : `chatcmpl-${e.id}`,
      model: e.modelId,
      provider_name: e.providerId,
      mode: e.mode,
      created_at: e.occurredAt.toISOString(),
      streamed: e.streamed,
      latency: e.latencyMs,
      tokens_prompt: e.inputTokens,
      tokens_completion: e.outputTokens,
      native_tokens_cached: e.cachedInputTokens,
      native_tokens_reasoning: e.reasoningTokens,
      compute_ms: e.computeMs,
      hardware: e.hardware,
      cost: billingReport(
        { providerId: e.providerId, mode: e.mode, orgName: e.orgName },
        { costNano: BigInt(e.costNano), creditsNano: BigInt(e.creditsNano), paygNano: BigInt(e.paygNano) },
      ),
    },
  };
}
