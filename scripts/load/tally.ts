import type autocannon from "autocannon";

/** One route's answers, as the load test judges them (autocannon only sees status codes). */
export interface Tally {
  sent: number;
  /** 2xx with a body that says the work was done (a stream that ended in [DONE], and so on). */
  ok: number;
  /** Correct refusals: 402 spending_limit_reached for the capped org. */
  refused: number;
  /** Everything else, including a 200 whose body is wrong. */
  errors: number;
  /** Ingestion only: usage events in the batches answered 200. */
  events: number;
  /** The first few errors, to print. */
  samples: string[];
}

export const newTally = (): Tally => ({ sent: 0, ok: 0, refused: 0, errors: 0, events: 0, samples: [] });

export function recordError(tally: Tally, what: string) {
  tally.errors++;
  if (tally.samples.length < 5) tally.samples.push(what.slice(0, 300));
}

/** A route under load: its autocannon request (built per request) and how many connections drive it. */
export interface RouteSpec {
  name: string;
  connections: number;
  request: autocannon.Request;
  tally: Tally;
}

/**
 * autocannon hands each request's context to setupRequest and then to the response's
 * onResponse (it is reset between requests), so it carries the request's sequence number.
 */
export interface SeqContext {
  seq?: number;
}

/** The `code` of a JSON error body, or null. */
export function errorCode(body: string): string | null {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

/** A response header, whatever case the server wrote it in. */
export function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  const value = key ? headers![key] : undefined;
  return typeof value === "string" ? value : null;
}
