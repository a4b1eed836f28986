/**
 * Which indices a user may chart or search from Slack. A pattern comes from a slash command, so it is checked
 * before it reaches the cluster: no exclusions, no remote clusters, no "everything", no date math, and nothing
 * hidden or system-owned (names starting with `.`) except Elastic Security's alerts. Then every part must lie
 * inside the operator's allow-list (IndexAllowList), so the cluster is asked nothing about any other index.
 */
import { ChartQueryError } from './errors';

/** The one kind of dot-index charting is for: Security alerts, per space (`.alerts-security.alerts-<space>`). */
const SECURITY_ALERTS_PREFIX = '.alerts-security.alerts-';

const MAX_PATTERNS = 10;
/** Elasticsearch's limit on an index name, in bytes; a pattern longer than that can match nothing. */
const MAX_NAME_BYTES = 255;
/**
 * What a part may be made of: lowercase letters, digits, `.`, `_`, `-`, `+` and the `*` wildcard. This leaves
 * out everything Elasticsearch reads specially: `<…{now/d}>` date math (also when percent-encoded), `remote:`
 * clusters and `::` selectors, `,` lists and `-` exclusions, and every character an index name cannot hold.
 */
const INDEX_PATTERN_CHARACTERS = /^[a-z0-9._+*-]+$/;

/** The pattern, trimmed, when every comma-separated part may be searched; a ChartQueryError saying why not otherwise. */
export function checkIndexPattern(pattern: string): string {
  const parts = pattern.split(',').map((part) => part.trim());
  if (parts.length > MAX_PATTERNS) throw refuse(`Give at most ${MAX_PATTERNS} index patterns.`);
  for (const part of parts) {
    const problem = indexPatternProblem(part);
    if (problem) throw refuse(`\`${part.slice(0, 60)}\`: ${problem}`);
  }
  return parts.join(',');
}

/** Why one index pattern (no commas) may not be searched, or undefined when it may. */
export function indexPatternProblem(part: string): string | undefined {
  if (part === '') return 'an index pattern is empty.';
  if (part.startsWith('-')) return 'excluding indices (`-name`) is not supported; name the ones to include.';
  if (part.includes(':')) return 'remote clusters are not supported.';
  if (/^[*]+$/.test(part) || part === '_all') return 'name at least part of the index, e.g. `logs-*`.';
  if (part.startsWith('.') && !part.startsWith(SECURITY_ALERTS_PREFIX)) {
    return `hidden and system indices (starting with \`.\`) can't be charted, except Security alerts (\`${SECURITY_ALERTS_PREFIX}*\`).`;
  }
  if (part.startsWith('_') || part.startsWith('+')) return 'index names cannot start with `_` or `+`.';
  if (part !== part.toLowerCase()) return 'index names are lowercase.';
  if (!INDEX_PATTERN_CHARACTERS.test(part)) return 'index patterns are made of lowercase letters, digits, `.`, `_`, `-`, `+` and `*` (no date math).';
  if (Buffer.byteLength(part) > MAX_NAME_BYTES) return `index names are at most ${MAX_NAME_BYTES} bytes.`;
  return undefined;
}

/**
 * The index patterns users may chart (CASEOPS_CHART_INDICES). A requested pattern is allowed when each of its
 * parts can only ever match indices some allowed pattern matches: `logs-endpoint*` within `logs-*`, but not
 * `log*` (it also matches `logstash-…`). The answer depends on names alone, never on what the cluster holds,
 * so a refused pattern tells nothing about whether such an index exists.
 */
export class IndexAllowList {
  private readonly allowed: readonly RegExp[];

  constructor(readonly patterns: readonly string[]) {
    // An allowed `*` spans anything a requested part has there, its own `*` included; other characters match as they are.
    this.allowed = patterns.map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`));
  }

  /** The checked pattern when every part is allowed; the same ChartQueryError for any part that is not. */
  check(pattern: string): string {
    const checked = checkIndexPattern(pattern);
    const outside = checked.split(',').find((part) => !this.allowed.some((allowed) => allowed.test(part)));
    if (outside !== undefined) {
      throw refuse(`\`${outside.slice(0, 60)}\` is not among the indices caseops may chart (${this.patterns.map((allowed) => `\`${allowed}\``).join(', ')}); an admin can widen CASEOPS_CHART_INDICES.`);
    }
    return checked;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function refuse(message: string): ChartQueryError {
  return new ChartQueryError('bad-index', message);
}
