import { isIPv4, isIPv6 } from 'node:net';
import { DEFAULT_IPV6_PREFIX } from '../../config/upstreams.config';

/** The eight 16-bit groups of an IPv6 address (`::` expanded, an embedded IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = part(head);
  const back = part(tail);
  const fill = tail === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...fill, ...back];
}

/**
 * The client a per-address limit counts: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * too), an IPv6 address by its first `ipv6Prefix` bits. One subscriber usually holds a whole /64
 * and picks addresses in it freely, so counting each IPv6 address alone would give one client
 * endless fresh buckets. Anything that is not an address (a test double, `unknown`) stays as is.
 */
export function addressGroup(ip: string, ipv6Prefix = DEFAULT_IPV6_PREFIX): string {
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return ip;
  const groups = ipv6Groups(bare);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  const kept = groups.map((g, i) => {
    const bits = Math.min(16, Math.max(0, ipv6Prefix - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return `${kept.map((g) => g.toString(16)).join(':')}/${ipv6Prefix}`;
}
