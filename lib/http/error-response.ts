import { isDatabaseUnavailable } from "@/lib/db/errors";
import { AppError, errorBody } from "@/lib/kernel/errors";
import { jsonResponse } from "./json";

const RETRY_AFTER_SECONDS = 2;

/**
 * Any failure as the API answers it: {"error": {code, message, ...}}. An AppError keeps its
 * status; a database outage is a 503 with a retry hint; anything else is logged and answered
 * generically, never with its own text.
 */
export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) {
    const headers: Record<string, string> = {};
    if (e.status === 401) headers["www-authenticate"] = 'Bearer realm="api"';
    if (e.status === 405 && Array.isArray(e.details.allow)) headers.allow = e.details.allow.join(", ");
    return jsonResponse(errorBody(e), { status: e.status, headers });
  }
  if (isDatabaseUnavailable(e)) {
    // Every write is one transaction, so nothing was half-written: the same request can be sent again.
    console.warn("[api] database unavailable:", e instanceof Error ? e.message : e);
    return jsonResponse(
      {
        error: {
          code: "service_unavailable",
          message: "The billing database is unavailable for a moment. Retry in a few seconds.",
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        },
      },
      { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
    );
  }
  console.error("[api] unexpected error", e);
  return jsonResponse(
    {
      error: { code: "internal_error", message: "Something went wrong on our side. Try again in a moment." },
    },
    { status: 500 },
  );
}
