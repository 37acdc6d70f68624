import autocannon from "autocannon";
import type { RouteSpec } from "./tally";

/** How long the requests in flight at the end may take before they are cut off. */
const DRAIN_SECONDS = 30;
const REQUEST_TIMEOUT_SECONDS = 10;

/** autocannon's per-connection client, as far as ending it gracefully needs. */
interface ConnectionClient {
  reqsMade: number;
  responseMax?: number;
}

export interface RouteRun {
  /** Every answer's latency, 402s included. */
  latenciesMs: number[];
  /** From the start to this route's last answer. */
  seconds: number;
}

/**
 * All routes at once, each on its own keep-alive connections in a closed loop, for `seconds`.
 * Then each connection stops after the request it has in flight is answered, instead of
 * autocannon's cut at the deadline, so that every request sent has an answer to check the
 * ledger against.
 */
export async function drive(baseUrl: string, routes: RouteSpec[], seconds: number) {
  const started = performance.now();
  const runs: Record<string, RouteRun> = {};
  const clients: ConnectionClient[] = [];
  const instances = routes.map((route) => {
    const run: RouteRun = { latenciesMs: [], seconds: 0 };
    runs[route.name] = run;
    let done!: (r: autocannon.Result) => void;
    let failed!: (e: unknown) => void;
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      done = resolve;
      failed = reject;
    });
    const instance = autocannon(
      {
        url: baseUrl,
        connections: route.connections,
        duration: seconds + DRAIN_SECONDS,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [route.request],
        // The client's fields are autocannon internals (stable since v4); see ConnectionClient.
        setupClient: (client) => clients.push(client as unknown as ConnectionClient),
      },
      (err, result) => (err ? failed(err) : done(result)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      run.latenciesMs.push(responseTime);
      run.seconds = (performance.now() - started) / 1_000;
    });
    return finished;
  });
  const deadline = setTimeout(() => {
    for (const client of clients) client.responseMax = client.reqsMade;
  }, seconds * 1_000);
  try {
    await Promise.all(instances);
  } finally {
    clearTimeout(deadline);
  }
  return runs;
}
