import type { IngestResult } from "./ingest";

/** An ingestion result as it travels in JSON: nano-dollar amounts as decimal strings. */
export type IngestResultWire =
  | { id: string; status: "recorded" | "duplicate"; costNano: string; creditsNano: string; paygNano: string }
  | {
      id: string;
      status: "refused";
      code: "credits_exhausted" | "provider_not_integrated" | "provider_disabled" | "org_plan_required";
      message: string;
    };

export function ingestResultWire(r: IngestResult): IngestResultWire {
  if (r.status === "refused") return r;
  return {
    id: r.id,
    status: r.status,
    costNano: r.costNano.toString(),
    creditsNano: r.creditsNano.toString(),
    paygNano: r.paygNano.toString(),
  };
}
