/**
 * Finding indicators in refanged text. One finder per kind, run from the most specific to the least: a URL contains a
 * host and maybe an email or a hash-like path, an email contains a domain, an IPv6 address can contain an IPv4 one.
 * What a finder recognised is blanked out before the next one runs, so each piece of text counts once.
 */
import type { IndicatorType } from '../attachments';
import { HOSTNAME, isDomainName } from './hostname';
import { formatIpv6, isUnspecifiedIpv6, parseIpv4, parseIpv6 } from './ip';
import type { RefangedText } from './refang';

export interface Indicator {
  readonly type: IndicatorType;
  readonly value: string;
}

/** An indicator and where it was found in the refanged text. */
export interface Found extends Indicator {
  readonly start: number;
  readonly end: number;
  /** For a URL: the host it points at, which decides whether the URL is kept (a private or own host drops both). */
  readonly host?: Indicator;
}

interface ScanContext {
  readonly refanged: RefangedText;
  /** The text is one value the analyst says is an indicator, so ambiguous names are taken as domains. */
  readonly explicit: boolean;
}

type Finder = (text: string, context: ScanContext) => Found[];

/**
 * A hostname ends where no further label character follows; `evil.com.` (end of a sentence) is fine, `evil.com.exe`
 * is one longer name rather than `evil.com` and a stray `.exe`. `_` counts as part of the word, as in identifiers:
 * `process.command_line` is not the domain `process.command`.
 */
const HOSTNAME_END = String.raw`(?![a-z0-9_-]|\.[a-z0-9])`;

/** Up to the first character that cannot be in a URL as written in chat: whitespace, quotes, backticks, angle brackets. */
const URL_CANDIDATE = /(?<![a-z0-9])(?:https?|ftp):\/\/[^\s<>"'`]+/gi;
const URL_PARTS = /^([a-z]+:\/\/)([^/?#@]*@)?(\[[0-9a-f:.]+\]|[^/?#:[\]]+)(:\d{1,5})?([/?#].*)?$/is;

/** Punctuation that ends a sentence or a Slack bold span rather than the URL (`see https://evil.com/a.`). */
const URL_TRAILING_PUNCTUATION = '.,;:!?*';
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * Letters and digits of any script. Hostnames are ASCII here (internationalised ones in their `xn--` form), so a
 * non-ASCII letter before one means it is the tail of a longer word: `pаypal.com` with a Cyrillic `а` is not the
 * domain `ypal.com`. The local part of an address may be in any script (`józef@…`).
 */
const ANY_ALPHANUMERIC = String.raw`\p{L}\p{N}`;

const EMAIL_LOCAL_PART = String.raw`[${ANY_ALPHANUMERIC}_%+-][${ANY_ALPHANUMERIC}._%+-]{0,63}`;
const EMAIL_CANDIDATE = new RegExp(`(?<![${ANY_ALPHANUMERIC}._%+-])${EMAIL_LOCAL_PART}@${HOSTNAME}${HOSTNAME_END}`, 'giu');

/**
 * A run of hex digits, colons and dots standing on its own, at most 45 characters (the longest IPv6 text form). A
 * sentence's final `.` or `:` may be caught at its end and is trimmed before parsing.
 */
const IPV6_CANDIDATE = /(?<![0-9a-z:.])[0-9a-f:.]{2,45}(?![0-9a-z:.])/gi;
const IPV6_TRAILING_PUNCTUATION = /\.$|(?<!:):$/;

/**
 * Four dotted numbers standing on their own: not preceded by a letter, digit or dot and not followed by `.<digit>`,
 * which keeps `v1.2.3.4` and the inside of `1.2.3.4.5` (version numbers) out.
 */
const IPV4_CANDIDATE = /(?<![0-9a-z.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9a-z]|\.\d)/gi;

/**
 * Whole tokens of hex: not inside a longer hex or alphanumeric string, and not a segment of a dashed identifier. Each
 * hash length is exact, so 7–12 character git SHAs and 33-character strings are not hashes.
 */
const HASH_CANDIDATE = /(?<![0-9a-z-])[0-9a-f]{32,64}(?![0-9a-z-])/gi;
const HASH_TYPE_BY_LENGTH: ReadonlyMap<number, IndicatorType> = new Map([
  [32, 'md5'],
  [40, 'sha1'],
  [64, 'sha256'],
]);

/** Not after `@` (a handle such as `@john.smith`, or what is left of an address) nor inside a longer name or identifier. */
const DOMAIN_CANDIDATE = new RegExp(`(?<![${ANY_ALPHANUMERIC}._@-])${HOSTNAME}${HOSTNAME_END}`, 'giu');

const FINDERS: readonly Finder[] = [findUrls, findEmails, findIpv6Addresses, findIpv4Addresses, findHashes, findDomains];

/** Every indicator in the text, in order of appearance (a URL before its host); not yet deduplicated or filtered. */
export function findIndicators(refanged: RefangedText, explicit: boolean): Found[] {
  const context: ScanContext = { refanged, explicit };
  const found: Found[] = [];
  let unclaimed = refanged.text;
  for (const finder of FINDERS) {
    const hits = finder(unclaimed, context);
    found.push(...hits);
    unclaimed = blankOut(unclaimed, hits);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Replaces each span with spaces of the same length, so positions stay those of the refanged text. */
function blankOut(text: string, spans: readonly Found[]): string {
  const pieces: string[] = [];
  let copied = 0;
  for (const { start, end } of spans) {
    // A URL's host lies inside the URL, already blanked.
    if (end <= copied) continue;
    pieces.push(text.slice(copied, start), ' '.repeat(end - start));
    copied = end;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

function findUrls(text: string): Found[] {
  return [...text.matchAll(URL_CANDIDATE)].flatMap((match) => recogniseUrl(trimUrlEnd(match[0]), match.index));
}

/** Lowercases the scheme and host (case-insensitive) and keeps the port, path, query and fragment as written. */
function recogniseUrl(url: string, start: number): Found[] {
  const parts = URL_PARTS.exec(url);
  if (parts === null) return [];
  const [, scheme = '', userinfo = '', hostText = '', port = '', rest = ''] = parts;
  const host = recogniseHost(hostText);
  if (host === null) return [];
  const hostStart = start + scheme.length + userinfo.length;
  const bracketed = host.type === 'ipv6';
  return [
    { type: 'url', value: scheme.toLowerCase() + userinfo + hostInUrl(host) + port + rest, start, end: start + url.length, host },
    { ...host, start: bracketed ? hostStart + 1 : hostStart, end: hostStart + hostText.length - (bracketed ? 1 : 0) },
  ];
}

/** A URL needs a real host: `http://localhost:8080/` or `http://intranet/` point at nothing outside. */
function recogniseHost(hostText: string): Indicator | null {
  if (hostText.startsWith('[')) {
    const address = parseIpv6(hostText.slice(1, -1));
    return address === null ? null : { type: 'ipv6', value: formatIpv6(address) };
  }
  const octets = parseIpv4(hostText);
  if (octets !== null) return { type: 'ipv4', value: octets.join('.') };
  // Inside a URL a name is a host whatever its ending: `http://update.zip/` is the domain update.zip.
  return isDomainName(hostText, 'meant') ? { type: 'domain', value: hostText.toLowerCase() } : null;
}

function hostInUrl(host: Indicator): string {
  return host.type === 'ipv6' ? `[${host.value}]` : host.value;
}

/**
 * Strips what closes the surrounding sentence or brackets: `(see https://evil.com/a).` → `https://evil.com/a`. A
 * closing bracket stays when the URL opened it, as in Wikipedia-style `/wiki/Foo_(bar)`. One backward pass, so a
 * pathological run of brackets costs linear time.
 */
function trimUrlEnd(candidate: string): string {
  const surplus = unopenedClosers(candidate);
  let end = candidate.length;
  for (; end > 0; end--) {
    const last = candidate.charAt(end - 1);
    if (URL_TRAILING_PUNCTUATION.includes(last)) continue;
    const unopened = surplus.get(last) ?? 0;
    if (unopened <= 0) break;
    surplus.set(last, unopened - 1);
  }
  return candidate.slice(0, end);
}

/** For each closing bracket, how many more of it than of its opener the text has. */
function unopenedClosers(text: string): Map<string, number> {
  return new Map(Object.entries(OPENER_OF).map(([closer, opener]) => [closer, count(text, closer) - count(text, opener)]));
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** Only the address is emitted, not its domain: the analyst pivots on the sender, and the domain may be a webmail one. */
function findEmails(text: string): Found[] {
  return [...text.matchAll(EMAIL_CANDIDATE)].flatMap((match) => {
    const at = match[0].lastIndexOf('@');
    const domain = match[0].slice(at + 1).toLowerCase();
    if (!isDomainName(domain, 'meant')) return [];
    return [{ type: 'email', value: `${match[0].slice(0, at)}@${domain}`, start: match.index, end: match.index + match[0].length }];
  });
}

function findIpv6Addresses(text: string): Found[] {
  return [...text.matchAll(IPV6_CANDIDATE)].flatMap((match) => {
    const written = match[0].replace(IPV6_TRAILING_PUNCTUATION, '');
    // Colon-free runs are IPv4 addresses, numbers or hashes, for the finders after this one.
    const address = written.includes(':') ? parseIpv6(written) : null;
    // `::` alone is the C++/Rust/Ruby scope operator far more often than the unspecified address.
    if (address === null || isUnspecifiedIpv6(address)) return [];
    return [{ type: 'ipv6', value: formatIpv6(address), start: match.index, end: match.index + written.length }];
  });
}

function findIpv4Addresses(text: string): Found[] {
  return [...text.matchAll(IPV4_CANDIDATE)].flatMap((match) => {
    const octets = parseIpv4(match[0]);
    if (octets === null) return [];
    return [{ type: 'ipv4', value: octets.join('.'), start: match.index, end: match.index + match[0].length }];
  });
}

function findHashes(text: string): Found[] {
  return [...text.matchAll(HASH_CANDIDATE)].flatMap((match) => {
    const type = HASH_TYPE_BY_LENGTH.get(match[0].length);
    // Without a single a–f letter it is a long number (an account or card number), not a digest.
    if (type === undefined || !/[a-f]/i.test(match[0])) return [];
    return [{ type, value: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length }];
  });
}

function findDomains(text: string, { refanged, explicit }: ScanContext): Found[] {
  return [...text.matchAll(DOMAIN_CANDIDATE)].flatMap((match) => {
    const start = match.index;
    const end = start + match[0].length;
    // Defanging is the writer saying "this is a domain": `update[.]zip` is one, `update.zip` is a file.
    const defanged = refanged.sourceOf(start, end) !== match[0];
    if (!isDomainName(match[0], explicit || defanged ? 'meant' : 'plain')) return [];
    return [{ type: 'domain', value: match[0].toLowerCase(), start, end }];
  });
}
