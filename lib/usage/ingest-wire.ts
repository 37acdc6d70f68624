import type { LimitDetails } from "@/lib/ledger/settle";
import type { IngestResult } from "./ingest";

/** An ingestion result as it travels in JSON: nano-dollar amounts as decimal strings. */
export type IngestResultWire =
  | { id: string; status: "recorded" | "duplicate"; costNano: string; creditsNano: string; paygNano: string }
  | {
      id: string;
      status: "refused";
      code:
        | "credits_exhausted"
        | "provider_not_integrated"
        | "provider_disabled"
        | "model_not_allowed"
        | "org_plan_required";
      message: string;
    }
  | ({ id: string; status: "refused"; code: "spending_limit_reached"; message: string } & LimitDetails);

export function ingestResultWire(r: IngestResult): IngestResultWire {
  if (r.status === "refused") {
    // The limit's figures sit beside the code, as in the router's 402 error body.
    if (r.code === "spending_limit_reached")
      return { id: r.id, status: r.status, code: r.code, message: r.message, ...r.details };
    return r;
  }
  return {
    id: r.id,
    status: r.status,
    costNano: r.costNano.toString(),
    creditsNano: r.creditsNano.toString(),
    paygNano: r.paygNano.toString(),
  };
}
