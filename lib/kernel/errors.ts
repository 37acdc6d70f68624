/**
 * An expected failure with a stable code, a status and a sentence that tells the caller what to
 * do. Route handlers, server actions and the admin CLI all turn it into
 * {"error": {"code", "message", ...details}}. Anything else is unexpected and answered generically.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new AppError(404, "not_found", `${what} was not found.`, details);

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);

export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}

export function errorBody(e: AppError): ErrorBody {
  return { error: { ...e.details, code: e.code, message: e.message } };
}
