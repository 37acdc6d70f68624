import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./webhook-target";

/**
 * POSTs to a checked target and answers the status code, or null when no answer came (refused,
 * reset, TLS failure, timeout: deliberately not told apart, so a delivery cannot probe ports).
 * It connects only to the addresses that were checked (a fixed `lookup`: a DNS answer that
 * changed since cannot redirect it), follows no redirect (node:http never does), and gives up
 * when `signal` aborts (the delivery's deadline), however far it got.
 */
export function postWebhook(
  target: { url: URL; addresses: ResolvedAddress[] },
  request: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<number | null> {
  const { url } = target;
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
        lookup: pinnedLookup(target.addresses),
        agent: false, // a fresh connection: never a pooled socket opened for another answer
        signal: request.signal,
      },
      (res) => {
        resolve(res.statusCode ?? null);
        res.destroy(); // the body is not read: only the status is kept
      },
    );
    req.on("error", () => resolve(null));
    req.end(request.body);
  });
}

/** A `lookup` that answers the checked addresses whatever it is asked. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}
