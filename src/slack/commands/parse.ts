import { type CaseRef, SEVERITIES, type Severity, type Status } from '../../cases/model';
import { escapeMrkdwn, truncate } from '../blocks/text';

/**
 * The `/case` grammar (DESIGN.md §4). Forgiving where it can be (any order of options, `#42` or `42`,
 * severity prefixes), precise in its errors: every failure says what was expected, with an example.
 */

export type CaseCommand =
  | { kind: 'help' }
  | { kind: 'new'; title: string; severity?: Severity; tags: string[]; assignees: string[] }
  | { kind: 'list'; statuses?: Status[]; mine: boolean; tag?: string; severities?: Severity[] }
  | { kind: 'show'; ref: CaseRef };

export type ParseResult = { ok: true; command: CaseCommand } | { ok: false; error: string };

export const SUBCOMMANDS = ['new', 'list', 'show', 'help'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `<@U123>` or `<@U123|name>`: how Slack escapes a user mention when the command has should_escape. */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const SEVERITY_OPTION = /^(?:sev|severity):(.*)$/i;
const TAG = /^#(\S+)$/;
/** `#name` becomes a channel link when a channel of that name exists; in a command it still means a tag. */
const CHANNEL_AS_TAG = /^<#[CG][A-Z0-9]+\|([^>]+)>$/;

function tagOf(word: string): string | undefined {
  return TAG.exec(word)?.[1] ?? CHANNEL_AS_TAG.exec(word)?.[1];
}

export function parseCaseCommand(text: string): ParseResult {
  const words = tokenize(text);
  const [first, ...rest] = words;
  if (first === undefined) return ok({ kind: 'help' });
  const sub = first.toLowerCase();
  switch (sub) {
    case 'help':
    case '?':
      return ok({ kind: 'help' });
    case 'new':
    case 'open':
    case 'create':
      return parseNew(rest);
    case 'list':
    case 'ls':
      return parseList(rest);
    case 'show':
    case 'view':
      return parseShow(rest);
    default:
      return { ok: false, error: unknownSubcommand(first) };
  }
}

/** Splits on whitespace and decodes the HTML entities Slack uses in command text. */
function tokenize(text: string): string[] {
  return decodeEntities(text)
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function parseNew(words: string[]): ParseResult {
  const titleWords: string[] = [];
  const tags: string[] = [];
  const assignees: string[] = [];
  let severity: Severity | undefined;
  for (const word of words) {
    const sev = SEVERITY_OPTION.exec(word);
    const tag = tagOf(word);
    const user = USER_MENTION.exec(word);
    if (sev) {
      const parsed = parseSeverity(sev[1] ?? '');
      if (!parsed.ok) return parsed;
      severity = parsed.severity;
    } else if (tag) {
      tags.push(tag);
    } else if (user?.[1]) {
      assignees.push(user[1]);
    } else {
      titleWords.push(word);
    }
  }
  const title = titleWords.join(' ');
  if (title === '') {
    return {
      ok: false,
      error: 'A case needs a title. For example: `/case new Suspicious login on db-01 sev:high #phishing @alice`',
    };
  }
  return ok({ kind: 'new', title, severity, tags, assignees });
}

const STATUS_WORDS: Record<string, Status[] | 'all' | 'mine'> = {
  open: ['open'],
  'in-progress': ['in-progress'],
  inprogress: ['in-progress'],
  progress: ['in-progress'],
  closed: ['closed'],
  active: ['open', 'in-progress'],
  all: 'all',
  mine: 'mine',
};

function parseList(words: string[]): ParseResult {
  // By default a list shows the cases still being worked on.
  let statuses: Status[] | undefined = ['open', 'in-progress'];
  let mine = false;
  let tag: string | undefined;
  let severities: Severity[] | undefined;
  for (const word of joinInProgress(words)) {
    const lower = word.toLowerCase();
    const sev = SEVERITY_OPTION.exec(word);
    const tagMatch = tagOf(word);
    const status = STATUS_WORDS[lower];
    if (sev) {
      const parsed = parseSeverity(sev[1] ?? '');
      if (!parsed.ok) return parsed;
      severities = [...(severities ?? []), parsed.severity];
    } else if (tagMatch) {
      tag = tagMatch;
    } else if (status === 'mine') {
      mine = true;
    } else if (status === 'all') {
      statuses = undefined;
    } else if (status) {
      statuses = status;
    } else {
      return {
        ok: false,
        error: `I don't know how to list \`${clip(word)}\`. Try \`/case list\`, \`/case list closed\`, \`/case list all\`, \`/case list mine\`, \`/case list #phishing\` or \`/case list sev:high\`.`,
      };
    }
  }
  return ok({ kind: 'list', statuses, mine, tag, severities });
}

/** Lets people type `in progress` as two words. */
function joinInProgress(words: string[]): string[] {
  const joined: string[] = [];
  for (const word of words) {
    const previous = joined[joined.length - 1];
    if (previous?.toLowerCase() === 'in' && word.toLowerCase() === 'progress') joined[joined.length - 1] = 'in-progress';
    else joined.push(word);
  }
  return joined;
}

function parseShow(words: string[]): ParseResult {
  const [refWord, ...extra] = words;
  if (refWord === undefined) return { ok: false, error: 'Which case? For example: `/case show 42`' };
  const ref = parseCaseRef(refWord);
  if (!ref.ok) return ref;
  if (extra.length > 0) return { ok: false, error: '`/case show` takes one case, like `/case show 42`.' };
  return ok({ kind: 'show', ref: ref.ref });
}

export function parseCaseRef(word: string): { ok: true; ref: CaseRef } | { ok: false; error: string } {
  const digits = /^#?(\d{1,9})$/.exec(word);
  if (digits?.[1]) {
    const number = Number(digits[1]);
    if (number > 0) return { ok: true, ref: { number } };
  }
  if (UUID.test(word)) return { ok: true, ref: { id: word.toLowerCase() } };
  return { ok: false, error: `\`${clip(word)}\` is not a case reference. Use the case number from its card, like \`#42\`.` };
}

function parseSeverity(value: string): { ok: true; severity: Severity } | { ok: false; error: string } {
  const lower = value.toLowerCase();
  const matches = lower === '' ? [] : SEVERITIES.filter((severity) => severity.startsWith(lower));
  if (matches.length === 1 && matches[0]) return { ok: true, severity: matches[0] };
  return { ok: false, error: `Unknown severity \`${clip(value)}\`. Use one of: low, medium, high, critical (e.g. \`sev:high\`).` };
}

function unknownSubcommand(word: string): string {
  const suggestion = SUBCOMMANDS.find((sub) => editDistance(sub, word.toLowerCase()) <= 2);
  const hint = suggestion ? ` Did you mean \`/case ${suggestion}\`?` : '';
  return `I don't know \`/case ${clip(word)}\`.${hint} Type \`/case help\` to see everything I can do.`;
}

/** Keeps echoed user input short and unable to break out of the inline code span. */
function clip(word: string): string {
  return escapeMrkdwn(truncate(word.replace(/`/g, "'"), 40));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const ok = (command: CaseCommand): ParseResult => ({ ok: true, command });
