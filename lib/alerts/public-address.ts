import ipaddr from "ipaddr.js";

/**
 * Whether an IP address is one of the public internet's: not loopback, private, link-local,
 * multicast, CGNAT, unspecified, broadcast, documentation or otherwise reserved (ipaddr.js's
 * ranges). IPv6 that carries an IPv4 address (mapped, NAT64, 6to4) is judged by that address,
 * and IPv6 outside global unicast (2000::/3) is refused, so `::127.0.0.1` cannot slip through.
 * Any notation ipaddr.js parses is understood: `127.1`, `0x7f000001`, `2130706433`, `0177.0.0.1`.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv4") return ip.range() === "unicast";
  return isPublicIPv6(ip as ipaddr.IPv6);
}

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");
const NAT64 = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

function isPublicIPv6(ip: ipaddr.IPv6): boolean {
  const bytes = ip.toByteArray();
  const v4 = (from: number) => isPublicAddress(bytes.slice(from, from + 4).join("."));
  switch (ip.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return v4(12);
    case "rfc6052": // 64:ff9b::a.b.c.d; the local-use 64:ff9b:1::/48 is not public
      return ip.match(NAT64) && v4(12);
    case "6to4": // 2002:aabb:ccdd::/48 carries a.b.c.d in bits 16-47
      return v4(2);
    case "unicast":
      return ip.match(GLOBAL_UNICAST);
    default: // loopback, link-local, unique-local, multicast, teredo, documentation, ...
      return false;
  }
}
