/**
 * IPv4 and IPv6 addresses and CIDR ranges for `IpAddress` / `NotIpAddress`.
 * "The value must be in the standard CIDR format (for example, 203.0.113.0/24
 * or 2001:DB8:1234:5678::/64). If you specify an IP address without the
 * associated routing prefix, IAM uses the default prefix value of /32."
 * (For IPv6 the default prefix is therefore the full /128.)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
export interface IpRange {
  readonly v6: boolean;
  /** The address bits, masked to the prefix. */
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let v4Tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    v4Tail = parseIpv4(text.slice(lastColon + 1));
    if (v4Tail === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== head.lastIndexOf('::')) return undefined;
  let groups: string[];
  if (doubleColon >= 0) {
    const left = head.slice(0, doubleColon);
    const right = head.slice(doubleColon + 2);
    const l = left === '' ? [] : left.split(':');
    const r = right === '' ? [] : right.split(':');
    const missing = 8 - l.length - r.length;
    if (missing < 1) return undefined;
    groups = [...l, ...Array<string>(missing).fill('0'), ...r];
  } else {
    groups = head.split(':');
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (v4Tail !== undefined) value = (value & ~0xffffffffn) | v4Tail;
  return value;
}

function computeMask(bits: number, prefix: number): bigint {
  if (prefix === 0) return 0n;
  const all = (1n << BigInt(bits)) - 1n;
  return (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

const MASKS_V4 = Array.from({ length: 33 }, (_, p) => computeMask(32, p));
const MASKS_V6 = Array.from({ length: 129 }, (_, p) => computeMask(128, p));

function mask(bits: number, prefix: number): bigint {
  return (bits === 32 ? MASKS_V4 : MASKS_V6)[prefix] ?? computeMask(bits, prefix);
}

/** Parses `a.b.c.d[/n]` or an IPv6 address `[/n]`; `undefined` when invalid. */
export function parseIpRange(text: string): IpRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addr = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const v6 = addr.includes(':');
  const bits = v6 ? 128 : 32;
  const value = v6 ? parseIpv6(addr) : parseIpv4(addr);
  if (value === undefined) return undefined;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  return { v6, network: value & mask(bits, prefix), prefix };
}

/** True when `inner` (an address or range) lies inside `outer`. Different families never match. */
export function ipRangeContains(outer: IpRange, inner: IpRange): boolean {
  if (outer.v6 !== inner.v6 || inner.prefix < outer.prefix) return false;
  const bits = outer.v6 ? 128 : 32;
  return (inner.network & mask(bits, outer.prefix)) === outer.network;
}

const PARSE_CACHE = new Map<string, IpRange | null>();

/** `parseIpRange` with a small cache, for request values read again and again. */
export function parseIpCached(text: string): IpRange | undefined {
  const hit = PARSE_CACHE.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const parsed = parseIpRange(text);
  if (PARSE_CACHE.size > 4096) PARSE_CACHE.clear();
  PARSE_CACHE.set(text, parsed ?? null);
  return parsed;
}
