import { isIPv4, isIPv6 } from "node:net";

/**
 * The address a sign-in is throttled by: an IPv4 address as is (also when written IPv4-mapped,
 * as Node reports sockets on a dual-stack listener), an IPv6 address by its /64, the block one
 * host is handed, so that cycling through its own addresses does not reset the count.
 */
export function throttleAddress(ip: string): string {
  const mapped = /^::ffff:([\d.]+)$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  const bare = ip.split("%")[0]!; // a zone id names the interface, not the host
  if (!isIPv6(bare)) return ip;
  const [head = "", tail] = bare.split("::");
  // A trailing dotted IPv4 part is two groups; it lies in the last 64 bits, so its value does not matter.
  const groups = (s: string) => (s ? s.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g])) : []);
  const first = groups(head);
  const last = tail === undefined ? [] : groups(tail);
  const all = [...first, ...Array<string>(8 - first.length - last.length).fill("0"), ...last];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}
