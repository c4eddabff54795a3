import { isIPv4, isIPv6 } from 'node:net';

/** An address range [first, last] of one family, as integers. */
interface Range {
  first: bigint;
  last: bigint;
}

const V4_BITS = 32;
const V6_BITS = 128;
/** ::ffff:0:0/96, where an IPv6 range covers IPv4 clients (proxy-addr maps them there). */
const V4_MAPPED_FIRST = 0xffffn << 32n;

function v4ToInt(text: string): bigint {
  return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function v6ToInt(text: string): bigint {
  let head = text;
  let tail4: bigint | undefined;
  // An embedded dotted quad (::ffff:1.2.3.4) is the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    head = `${dotted[1]}0:0`;
    tail4 = v4ToInt(dotted[2]);
  }
  const [left, right] = head.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const all =
    right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  const n = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  return tail4 === undefined ? n : (n & ~0xffffffffn) | tail4;
}

/** The prefix length of a dotted IPv4 netmask, or NaN when its ones are not contiguous. */
function maskBits(mask: string): number {
  const bits = v4ToInt(mask).toString(2).padStart(V4_BITS, '0');
  if (!/^1*0*$/.test(bits)) return NaN;
  return bits.indexOf('0') === -1 ? V4_BITS : bits.indexOf('0');
}

function rangeOf(base: bigint, prefix: number, bits: number): Range {
  const size = 1n << BigInt(bits - prefix);
  const first = (base / size) * size;
  return { first, last: first + size - 1n };
}

/** Whether the union of `ranges` covers every integer from 0 to 2^bits - 1. */
function coversAll(ranges: Range[], bits: number): boolean {
  let next = 0n;
  for (const r of [...ranges].sort((a, b) =>
    a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  )) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
  }
  return next >= 1n << BigInt(bits);
}

/**
 * The address families a TRUST_PROXY list trusts entirely (none: an empty list). Ranges are unioned per
 * family, so a catch-all split in halves (`0.0.0.0/1,128.0.0.0/1`, `::/1,8000::/1`) is found as
 * well as `0.0.0.0/0`. An IPv6 range inside `::ffff:0:0/96` also covers the IPv4 clients it maps
 * (proxy-addr compares an IPv4 address with an IPv6 range in that form), so `::ffff:0:0/96`, and
 * `::/1` which holds it, trust every IPv4 client. Names (`loopback`...) and malformed entries cover nothing here; proxy-addr
 * judges their syntax.
 */
export function catchAllFamilies(list: string[]): Array<'IPv4' | 'IPv6'> {
  const v4: Range[] = [];
  const v6: Range[] = [];
  for (const entry of list) {
    const [address, suffix] = entry.trim().split('/');
    if (isIPv4(address)) {
      const prefix =
        suffix === undefined ? V4_BITS : suffix.includes('.') ? maskBits(suffix) : Number(suffix);
      if (Number.isInteger(prefix) && prefix >= 0 && prefix <= V4_BITS)
        v4.push(rangeOf(v4ToInt(address), prefix, V4_BITS));
    } else if (isIPv6(address)) {
      const prefix = suffix === undefined ? V6_BITS : Number(suffix);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > V6_BITS) continue;
      const range = rangeOf(v6ToInt(address), prefix, V6_BITS);
      v6.push(range);
      // The part of it inside ::ffff:0:0/96, as IPv4.
      const first = range.first > V4_MAPPED_FIRST ? range.first : V4_MAPPED_FIRST;
      const lastMapped = V4_MAPPED_FIRST + 0xffffffffn;
      const last = range.last < lastMapped ? range.last : lastMapped;
      if (first <= last) v4.push({ first: first - V4_MAPPED_FIRST, last: last - V4_MAPPED_FIRST });
    }
  }
  const families: Array<'IPv4' | 'IPv6'> = [];
  if (coversAll(v4, V4_BITS)) families.push('IPv4');
  if (coversAll(v6, V6_BITS)) families.push('IPv6');
  return families;
}
