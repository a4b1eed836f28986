/** Domain names: their shape, the file names and field names that share it, and the workspace's own domains. */
import { isEcsFieldName } from './ecs-fields';

/** A DNS label: letters, digits and inner hyphens, at most 63 characters. */
const LABEL = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`;

/**
 * A top-level domain: letters only (which keeps out version numbers `1.2.3` and IPs), 2–24 of them (which keeps out
 * `e.g.`, `i.e.`, `a.m.`), or an internationalised one in its ASCII form `xn--…`.
 */
const TLD = String.raw`(?:xn--[a-z0-9-]{1,59}|[a-z]{2,24})`;

/** Regular-expression source for a hostname with at least one dot; used case-insensitively. */
export const HOSTNAME = String.raw`(?:${LABEL}\.)+${TLD}`;

const WHOLE_HOSTNAME = new RegExp(`^${HOSTNAME}$`, 'i');

/**
 * File extensions that are not top-level domains: `report.pdf`, `setup.exe`, `main.ts` and `archive.tar.gz` are
 * shaped like domains but are file names, which SOC chat is full of (attachments, EDR process names, code).
 */
const FILE_EXTENSIONS = new Set([
  ...['pdf', 'doc', 'docx', 'docm', 'dotm', 'xls', 'xlsx', 'xlsm', 'xlsb', 'xlam', 'xll', 'ppt', 'pptx', 'pptm'],
  ...['rtf', 'odt', 'ods', 'odp', 'txt', 'csv', 'tsv', 'log', 'json', 'xml', 'yaml', 'yml', 'toml', 'ini', 'cfg'],
  ...['conf', 'env', 'lock', 'html', 'htm', 'xhtml', 'css', 'scss', 'php', 'asp', 'aspx', 'jsp', 'cgi', 'js', 'mjs'],
  ...['cjs', 'ts', 'tsx', 'jsx', 'vue', 'java', 'class', 'jar', 'war', 'kt', 'cpp', 'hpp', 'cxx', 'go', 'rb', 'lua'],
  ...['swift', 'sql', 'db', 'sqlite', 'bak', 'tmp', 'dat', 'bin', 'exe', 'dll', 'sys', 'drv', 'ocx', 'cpl', 'scr'],
  ...['msi', 'msp', 'bat', 'cmd', 'vbs', 'vbe', 'jse', 'wsf', 'wsh', 'hta', 'lnk', 'inf', 'reg', 'chm', 'iso', 'img'],
  ...['vhd', 'vhdx', 'dmg', 'pkg', 'deb', 'rpm', 'apk', 'ipa', 'elf', 'dylib', 'gz', 'tgz', 'xz', 'rar', 'tar'],
  ...['cab', 'arj', 'lzh', 'png', 'jpg', 'jpeg', 'gif', 'bmp', 'svg', 'ico', 'webp', 'tif', 'tiff', 'heic', 'wav'],
  ...['avi', 'mkv', 'webm', 'ogg', 'flac', 'eml', 'msg', 'pst', 'ost', 'ics', 'vcf', 'pcap', 'pcapng', 'evtx', 'etl'],
  ...['pem', 'crt', 'cer', 'der', 'pfx', 'csr', 'jks', 'ova', 'ovf', 'vmdk', 'yara', 'yar', 'sigma', 'ipynb'],
]);

/**
 * Extensions that are also real top-level domains. Written plainly (`update.zip`, `notes.md`, `run.sh`) they are
 * far more often files; defanged (`update[.]zip`), inside a URL, or typed as a single value they were meant as a
 * domain. `.zip` and `.mov` became TLDs in 2023 and are used for phishing precisely because of this confusion.
 */
const AMBIGUOUS_EXTENSIONS = new Set(['zip', 'mov', 'py', 'sh', 'pl', 'pm', 'rs', 'md', 'so', 'cc', 'ai', 'ps', 'one', 'app']);

/** Whether the name is written as meant to be a domain, so an ambiguous extension is taken as its TLD. */
export type DomainEvidence = 'meant' | 'plain';

export function isDomainName(name: string, evidence: DomainEvidence): boolean {
  if (!WHOLE_HOSTNAME.test(name)) return false;
  const writtenTld = name.slice(name.lastIndexOf('.') + 1);
  const tld = writtenTld.toLowerCase();
  if (FILE_EXTENSIONS.has(tld)) return false;
  if (evidence === 'meant') return true;
  return !AMBIGUOUS_EXTENSIONS.has(tld) && isWrittenLikeADomain(name, writtenTld) && !isEcsFieldName(name);
}

/**
 * People write `evil.com`, `PayPal.com` or `EVIL.COM`. A mixed-case TLD (`done.Then`, `Net.WebClient`, `cG4.wA`) is
 * two sentences missing a space, a code identifier or noise such as base64; a capital TLD after a name not in
 * capitals (`System.IO`) is a code identifier too.
 */
function isWrittenLikeADomain(name: string, writtenTld: string): boolean {
  if (writtenTld === writtenTld.toLowerCase()) return true;
  return name === name.toUpperCase();
}

/**
 * The workspace's own domains as given in settings, in the form indicators are compared in: lowercase, no wildcard
 * or leading/trailing dot (`*.corp.example.` → `corp.example`).
 */
export function normaliseOwnDomains(domains: readonly string[]): string[] {
  return domains.map((domain) => domain.trim().toLowerCase().replace(/^\*?\.+|\.+$/g, '')).filter((domain) => domain !== '');
}

/** The domain itself or any subdomain of it; not a look-alike that merely ends the same (`notcorp.example`). */
export function isWithinDomains(hostname: string, domains: readonly string[]): boolean {
  return domains.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}
