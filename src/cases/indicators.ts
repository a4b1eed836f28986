/**
 * Indicators of compromise (IOCs) in Slack message text: IPs, domains, URLs, hashes and email addresses, found the way
 * a SOC analyst reads a message — through Slack's link markup and HTML entities, through defanging (`hxxps://`,
 * `[.]`, `[at]`), and past the look-alikes chat is full of (file names, version numbers, timestamps, UUIDs).
 *
 * The pipeline: Slack markup → plain text (./indicators/slack-text) → refanged text (./indicators/refang) → finders
 * per type (./indicators/finders) → the caller's exclusions → deduplicated, capped list.
 */
import { type Found, findIndicators, type Indicator } from './indicators/finders';
import { isWithinDomains, normaliseOwnDomains } from './indicators/hostname';
import { isNonPublicIpv4, isNonPublicIpv6, parseIpv4, parseIpv6 } from './indicators/ip';
import { refang } from './indicators/refang';
import { slackToPlainText } from './indicators/slack-text';

export type { Indicator } from './indicators/finders';

export interface ExtractedIndicator extends Indicator {
  /** The indicator as written in the message, defanged or not (Slack markup and entities already undone). */
  readonly raw: string;
}

export interface ExtractOptions {
  /** Keep private, loopback, link-local and other non-public addresses (and URLs on them). Default false. */
  includePrivateIps?: boolean;
  /** The workspace's own domains: these, their subdomains, and URLs and email addresses on them are left out. */
  ignoreDomains?: readonly string[];
}

/** A message listing more than this is a data dump, not a report; attaching every line would bury the case. */
export const MAX_INDICATORS = 100;

interface Exclusions {
  readonly includePrivateIps: boolean;
  readonly ownDomains: readonly string[];
}

interface ScanRules extends Exclusions {
  /** The text is one value the analyst says is an indicator (see classifyIndicator). */
  readonly explicit: boolean;
}

/**
 * The indicators in a Slack message's text, each once (by type and value), in order of first appearance, at most
 * MAX_INDICATORS. A URL is followed by its host as a domain or IP, since that is what analysts pivot on.
 */
export function extractIndicators(text: string, options: ExtractOptions = {}): ExtractedIndicator[] {
  const rules: ScanRules = {
    includePrivateIps: options.includePrivateIps ?? false,
    ownDomains: normaliseOwnDomains(options.ignoreDomains ?? []),
    explicit: false,
  };
  return scan(slackToPlainText(text), rules).slice(0, MAX_INDICATORS);
}

/**
 * One value typed by hand, refanged and typed; null when the whole value is not a single indicator. The analyst is
 * saying it is an indicator, so a private IP counts and so does a name ending in an ambiguous extension (`update.zip`).
 * Surrounding quotes, brackets and a final full stop are allowed; anything else around it is not (`1.2.3.4:443`).
 */
export function classifyIndicator(value: string): Indicator | null {
  const plain = slackToPlainText(value);
  const [first] = scan(plain, { includePrivateIps: true, ownDomains: [], explicit: true });
  if (first === undefined || !WRAPPING_ONLY.test(plain.replace(first.raw, ''))) return null;
  return { type: first.type, value: first.value };
}

/** What may surround a value typed by hand without being part of it. */
const WRAPPING_ONLY = /^[\s"'`()[\]{}<>.,;]*$/;

function scan(plain: string, rules: ScanRules): ExtractedIndicator[] {
  const refanged = refang(plain);
  const wanted = findIndicators(refanged, rules.explicit).filter((found) => isWanted(found, rules));
  return uniqueByTypeAndValue(wanted).map((found) => ({ type: found.type, value: found.value, raw: refanged.sourceOf(found.start, found.end) }));
}

/** A URL stands or falls with its host: one on a private address or an own domain is as internal as the host. */
function isWanted(found: Found, exclusions: Exclusions): boolean {
  if (found.type !== 'url') return isWantedIndicator(found, exclusions);
  return found.host !== undefined && isWantedIndicator(found.host, exclusions);
}

function isWantedIndicator({ type, value }: Indicator, exclusions: Exclusions): boolean {
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return exclusions.includePrivateIps || !isNonPublicAddress(type, value);
    case 'domain':
      return !isWithinDomains(value, exclusions.ownDomains);
    case 'email':
      return !isWithinDomains(value.slice(value.lastIndexOf('@') + 1), exclusions.ownDomains);
    default:
      // A hash says nothing about whose it is.
      return true;
  }
}

function isNonPublicAddress(type: 'ipv4' | 'ipv6', value: string): boolean {
  if (type === 'ipv4') {
    const octets = parseIpv4(value);
    return octets !== null && isNonPublicIpv4(octets);
  }
  const address = parseIpv6(value);
  return address !== null && isNonPublicIpv6(address);
}

function uniqueByTypeAndValue(found: readonly Found[]): Found[] {
  const seen = new Set<string>();
  return found.filter((indicator) => {
    const key = `${indicator.type} ${indicator.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
