import { lookup } from "node:dns/promises";
import { isProduction, readEnv, type Env } from "@/lib/config/env";
import { isPublicAddress } from "./public-address";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. Injected, so tests can answer as a rebinding DNS would. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

/** Where alert webhooks may be posted. */
export interface WebhookPolicy {
  /** Hosts (as `URL.hostname` writes them) exempt from the address check, and from https outside production. */
  allowHosts: ReadonlySet<string>;
  production: boolean;
  resolve: Resolve;
}

export type WebhookTarget =
  | { ok: true; url: URL; addresses: ResolvedAddress[] }
  /** scheme: plain http to a host not allow-listed; address: some address is not public; unresolved: no address. */
  | { ok: false; reason: "scheme" | "address" | "unresolved" };

export const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export function webhookPolicyFromEnv(env: Env = readEnv(), resolve: Resolve = systemResolve): WebhookPolicy {
  return { allowHosts: new Set(env.ALERT_WEBHOOK_ALLOW_HOSTS), production: isProduction(env), resolve };
}

/**
 * Decides whether a webhook URL may be called, and with which addresses: https only (plain http
 * to an allow-listed host outside production), and every address the host resolves to public,
 * so a name with one private address among public ones is refused too. The caller connects to
 * the addresses returned, never resolving again: what was checked is what is reached.
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy): Promise<WebhookTarget> {
  const url = new URL(raw); // the WHATWG parser writes 0x7f000001, 2130706433, 0177.0.0.1 and 127.1 as 127.0.0.1
  const allowed = policy.allowHosts.has(url.hostname);
  const plainHttpAllowed = allowed && !policy.production;
  if (!(url.protocol === "https:" || (url.protocol === "http:" && plainHttpAllowed))) {
    return { ok: false, reason: "scheme" };
  }
  const addresses = await addressesOf(url.hostname, policy.resolve);
  if (addresses.length === 0) return { ok: false, reason: "unresolved" };
  if (!allowed && !addresses.every((a) => isPublicAddress(a.address)))
    return { ok: false, reason: "address" };
  return { ok: true, url, addresses };
}

async function addressesOf(hostname: string, resolve: Resolve): Promise<ResolvedAddress[]> {
  const literal = hostname.replace(/^\[(.*)\]$/, "$1");
  if (literal !== hostname) return [{ address: literal, family: 6 }];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) return [{ address: hostname, family: 4 }];
  try {
    return await resolve(hostname);
  } catch {
    return []; // NXDOMAIN, no network: nothing to check, nothing to call
  }
}
