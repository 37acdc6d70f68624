/**
 * The breakdown as it travels in JSON (GET /api/billing/usage): BigInt amounts and token counts
 * are decimal strings, so nothing is lost. Client code reads this shape; it has no server imports.
 */
export interface MetricsWire {
  requests: number;
  inputTokens: string;
  outputTokens: string;
  computeMs: string;
  costNano: string;
  billedNano: string;
  creditsNano: string;
  paygNano: string;
}

export interface BreakdownRowWire {
  key: string;
  label: string;
  routed: MetricsWire;
  customKey: MetricsWire;
  /** groupBy=day only: that day's cost by model. */
  models?: { key: string; label?: string; costNano: string }[];
}

/** token: the caller's own usage by access token (name and last 4 only). */
export type GroupBy = "model" | "provider" | "member" | "day" | "token";

export interface BreakdownWire {
  from: string;
  /** Exclusive. */
  to: string;
  groupBy: GroupBy;
  rows: BreakdownRowWire[];
  total: BreakdownRowWire;
}
