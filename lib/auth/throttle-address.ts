import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * The address a sign-in is throttled by: an IPv4 address as is (also when written IPv4-mapped,
 * as Node reports sockets on a dual-stack listener), an IPv6 address by its /64, the block one
 * host is handed, so that cycling through its own addresses does not reset the count.
 */
export function throttleAddress(ip: string): string {
  const bare = ip.split("%")[0]!; // a zone id names the interface, not the host
  if (!isIP(bare)) return ip;
  const address = ipaddr.process(bare); // IPv4-mapped IPv6 becomes its IPv4
  if (address.kind() === "ipv4") return address.toString();
  const groups = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${groups.map((g) => g.toString(16)).join(":")}::/64`;
}
