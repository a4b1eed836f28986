/**
 * Which indices a user may chart or search from Slack. A pattern comes from a slash command, so it is checked
 * before it reaches the cluster: no exclusions, no remote clusters, no "everything", and nothing hidden or
 * system-owned (names starting with `.`) except Elastic Security's alerts.
 */
import { ChartQueryError } from './errors';

/** The one kind of dot-index charting is for: Security alerts, per space (`.alerts-security.alerts-<space>`). */
const SECURITY_ALERTS_PREFIX = '.alerts-security.alerts-';

const MAX_PATTERNS = 10;
/** Elasticsearch's limit on an index name, in bytes; a pattern longer than that can match nothing. */
const MAX_NAME_BYTES = 255;
/** Characters Elasticsearch never allows in an index name (`*` is the one wildcard a pattern may add). */
const FORBIDDEN = /[\\/?"<>| ,#]/;

/** The pattern, trimmed, when every comma-separated part may be searched; a ChartQueryError saying why not otherwise. */
export function checkIndexPattern(pattern: string): string {
  const parts = pattern.split(',').map((part) => part.trim());
  if (parts.length > MAX_PATTERNS) throw refuse(`Give at most ${MAX_PATTERNS} index patterns.`);
  for (const part of parts) {
    const problem = problemWith(part);
    if (problem) throw refuse(`\`${part.slice(0, 60)}\`: ${problem}`);
  }
  return parts.join(',');
}

function problemWith(part: string): string | undefined {
  if (part === '') return 'an index pattern is empty.';
  if (part.startsWith('-')) return 'excluding indices (`-name`) is not supported; name the ones to include.';
  if (part.includes(':')) return 'remote clusters are not supported.';
  if (/^[*]+$/.test(part) || part === '_all') return 'name at least part of the index, e.g. `logs-*`.';
  if (part.startsWith('.') && !part.startsWith(SECURITY_ALERTS_PREFIX)) {
    return `hidden and system indices (starting with \`.\`) can't be charted, except Security alerts (\`${SECURITY_ALERTS_PREFIX}*\`).`;
  }
  if (part.startsWith('_') || part.startsWith('+')) return 'index names cannot start with `_` or `+`.';
  if (part !== part.toLowerCase()) return 'index names are lowercase.';
  if (FORBIDDEN.test(part)) return 'index names cannot contain spaces or any of \\ / ? " < > | , #.';
  if (Buffer.byteLength(part) > MAX_NAME_BYTES) return `index names are at most ${MAX_NAME_BYTES} bytes.`;
  return undefined;
}

function refuse(message: string): ChartQueryError {
  return new ChartQueryError('bad-index', message);
}
