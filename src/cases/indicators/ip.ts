/** IP addresses: strict parsing, a canonical spelling, and which ranges can never be an external indicator. */

/** Four decimal octets; whether each is 0–255 is checked after matching. */
const IPV4_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A 0–255 octet without leading zeros: `010` is octal to some parsers and decimal to others, so it is not an address. */
const OCTET = /^(?:0|[1-9]\d{0,2})$/;

export function parseIpv4(text: string): number[] | null {
  const octets = IPV4_SHAPE.exec(text)?.slice(1);
  if (!octets?.every((octet) => OCTET.test(octet) && Number(octet) <= 255)) return null;
  return octets.map(Number);
}

/** A CIDR block as [first octets, prefix length]. */
type Ipv4Block = readonly [readonly number[], number];

/**
 * Addresses that are not routed on the internet, so seeing one says nothing about an outside actor: private (RFC 1918),
 * carrier-grade NAT, loopback, link-local, "this network", multicast and reserved (including broadcast). The
 * documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 are deliberately absent: analysts use them
 * in write-ups and exercises.
 */
const NON_PUBLIC_IPV4: readonly Ipv4Block[] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 168], 16],
  [[224], 3],
];

export function isNonPublicIpv4(octets: readonly number[]): boolean {
  const address = toUint32(octets);
  return NON_PUBLIC_IPV4.some(([first, prefix]) => address >>> (32 - prefix) === toUint32(first) >>> (32 - prefix));
}

function toUint32(octets: readonly number[]): number {
  return [0, 1, 2, 3].reduce((value, i) => value * 256 + (octets[i] ?? 0), 0);
}

/** An IPv6 address as its eight 16-bit groups, and whether it was written with a trailing dotted IPv4 part. */
export interface Ipv6 {
  readonly groups: readonly number[];
  readonly dottedTail: boolean;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

export function parseIpv6(text: string): Ipv6 | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  // A dotted IPv4 part can only be the last thing written, so only the last half may end with one.
  const head = parseGroups(halves[0] ?? '', !compressed);
  const tail = compressed ? parseGroups(halves[1] ?? '', true) : [];
  if (head === null || tail === null) return null;
  // `::` stands for at least one group of zeros; without it all eight must be written.
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  const dottedTail = text.slice(text.lastIndexOf(':') + 1).includes('.');
  return { groups: [...head, ...new Array<number>(missing).fill(0), ...tail], dottedTail };
}

function parseGroups(half: string, mayEndDotted: boolean): number[] | null {
  if (half === '') return [];
  const written = half.split(':');
  const last = written.at(-1) ?? '';
  if (!mayEndDotted || !last.includes('.')) return parseHexGroups(written);
  const octets = parseIpv4(last);
  const hex = parseHexGroups(written.slice(0, -1));
  if (octets === null || hex === null) return null;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return [...hex, a * 256 + b, c * 256 + d];
}

function parseHexGroups(written: readonly string[]): number[] | null {
  if (!written.every((group) => HEX_GROUP.test(group))) return null;
  return written.map((group) => parseInt(group, 16));
}

/**
 * RFC 5952's canonical text: lowercase, no leading zeros, the longest run of two or more zero groups (the first on a
 * tie) as `::`. So `2001:0DB8:0:0::1` and `2001:db8::1` are the same indicator. An address written with a dotted IPv4
 * tail keeps it (`::ffff:192.0.2.1`), as RFC 5952 §5 recommends.
 */
export function formatIpv6({ groups, dottedTail }: Ipv6): string {
  if (!dottedTail) return compressGroups(groups);
  const hexPart = compressGroups(groups.slice(0, 6));
  const separator = hexPart.endsWith(':') ? '' : ':';
  return hexPart + separator + groups.slice(6).flatMap((group) => [group >> 8, group & 0xff]).join('.');
}

function compressGroups(groups: readonly number[]): string {
  const run = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (run.length < 2) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

function longestZeroRun(groups: readonly number[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = 0;
  groups.forEach((group, i) => {
    if (group !== 0) start = i + 1;
    else if (i + 1 - start > best.length) best = { start, length: i + 1 - start };
  });
  return best;
}

export function isUnspecifiedIpv6({ groups }: Ipv6): boolean {
  return groups.every((group) => group === 0);
}

/**
 * Not routed on the internet: unspecified `::`, loopback `::1`, unique-local fc00::/7, link-local fe80::/10,
 * multicast ff00::/8, and IPv4-mapped ::ffff:0:0/96 when the IPv4 address inside is itself non-public.
 * 2001:db8::/32 (documentation) is kept, as for IPv4.
 */
export function isNonPublicIpv6(address: Ipv6): boolean {
  const [first = 0] = address.groups;
  const isLoopback = address.groups.slice(0, 7).every((group) => group === 0) && address.groups[7] === 1;
  return (
    isUnspecifiedIpv6(address) ||
    isLoopback ||
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    (first & 0xff00) === 0xff00 ||
    isNonPublicMappedIpv4(address.groups)
  );
}

function isNonPublicMappedIpv4(groups: readonly number[]): boolean {
  const isMapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const [high = 0, low = 0] = groups.slice(6);
  return isMapped && isNonPublicIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
