import { INDICATOR_TYPES, type IndicatorType } from '../../cases/attachments';
import { type CaseRef, ROLES, type Role, SEVERITIES, type Severity, type Status } from '../../cases/model';
import type { ExportSelection } from '../../cases/export-request';
import { codeText } from '../blocks/text';

/**
 * The `/case` grammar (DESIGN.md §4). Forgiving where it can be (any order of options, `#42` or `42`,
 * severity prefixes), precise in its errors: every failure says what was expected, with an example.
 */

export type CaseCommand =
  | { kind: 'help' }
  | { kind: 'new'; title: string; severity?: Severity; tags: string[]; assignees: string[] }
  | { kind: 'list'; statuses?: Status[]; mine: boolean; tag?: string; severities?: Severity[] }
  | { kind: 'show'; ref: CaseRef }
  | { kind: 'comment'; ref: CaseRef; text: string }
  | { kind: 'status'; ref: CaseRef; status: Status }
  | { kind: 'severity'; ref: CaseRef; severity: Severity }
  | { kind: 'assign' | 'unassign'; ref: CaseRef; users: string[] }
  | { kind: 'tag' | 'untag'; ref: CaseRef; tags: string[] }
  | { kind: 'events'; ref: CaseRef }
  | { kind: 'indicator'; ref: CaseRef; value: string; type?: IndicatorType }
  | { kind: 'timeline'; ref: CaseRef; target: string; title?: string }
  | { kind: 'alert'; ref: CaseRef; alertId: string; index?: string }
  | { kind: 'chart'; target: CaseRef | 'all'; words: string[] }
  | { kind: 'metrics'; words: string[] }
  | { kind: 'digest' }
  | { kind: 'digest-schedule'; time: string | null }
  | { kind: 'export'; selection: ExportSelection }
  | { kind: 'import' }
  | { kind: 'link'; target: string }
  | { kind: 'room'; ref: CaseRef; users: string[] }
  | { kind: 'room-capture'; ref: CaseRef; all: boolean }
  | { kind: 'role'; ref: CaseRef; role: Role; user: string | null }
  | { kind: 'report'; ref: CaseRef };

export type ParseResult = { ok: true; command: CaseCommand } | { ok: false; error: string };

export const SUBCOMMANDS = [
  'new',
  'list',
  'show',
  'events',
  'comment',
  'status',
  'close',
  'reopen',
  'severity',
  'assign',
  'unassign',
  'tag',
  'untag',
  'indicator',
  'timeline',
  'alert',
  'chart',
  'metrics',
  'digest',
  'export',
  'import',
  'room',
  'role',
  'report',
  'help',
] as const;

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

const DIGEST_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
/** A daily digest without a time comes at the start of the working day. */
const DEFAULT_DIGEST_TIME = '08:00';

/** `/case digest` (now), `/case digest on [HH:MM]`, `/case digest off`. */
function parseDigest(words: string[]): ParseResult {
  const [first, time, ...more] = words;
  const usage = 'Use `/case digest` for the last 24 hours now, `/case digest on [08:00]` for one every day, `/case digest off` to stop.';
  if (first === undefined) return ok({ kind: 'digest' });
  if (first.toLowerCase() === 'off' && time === undefined) return ok({ kind: 'digest-schedule', time: null });
  if (first.toLowerCase() !== 'on' || more.length) return { ok: false, error: usage };
  if (time === undefined) return ok({ kind: 'digest-schedule', time: DEFAULT_DIGEST_TIME });
  const clock = DIGEST_TIME.exec(time);
  if (!clock) return { ok: false, error: `\`${time.slice(0, 20).replace(/`/g, "'")}\` is not a time of day: use 24-hour HH:MM, such as 08:00 or 17:30.` };
  return ok({ kind: 'digest-schedule', time: `${clock[1]!.padStart(2, '0')}:${clock[2]}` });
}

export function parseCaseCommand(text: string): ParseResult {
  const comment = COMMENT.exec(decodeEntities(text));
  if (comment) return parseComment(comment[1], comment[2]);
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
    case 'comment':
      return parseComment(rest[0], undefined);
    case 'status':
      return withRef(sub, rest, (ref, args) => {
        const status = STATUS_WORDS[joinInProgress(args).join(' ').toLowerCase()];
        if (args.length === 0 || !Array.isArray(status) || status.length !== 1 || !status[0]) {
          return { ok: false, error: 'Which status? For example: `/case status 42 in-progress` (open, in-progress or closed).' };
        }
        return ok({ kind: 'status', ref, status: status[0] });
      });
    case 'close':
    case 'reopen':
      return withRef(sub, rest, (ref, args) =>
        args.length ? { ok: false, error: `\`/case ${sub}\` takes one case, like \`/case ${sub} 42\`.` } : ok({ kind: 'status', ref, status: sub === 'close' ? 'closed' : 'open' }),
      );
    case 'severity':
    case 'sev':
      return withRef('severity', rest, (ref, args) => {
        const parsed = parseSeverity(args.join(''));
        return parsed.ok ? ok({ kind: 'severity', ref, severity: parsed.severity }) : parsed;
      });
    case 'assign':
    case 'unassign':
      return withRef(sub, rest, (ref, args) => {
        const users = args.map((word) => USER_MENTION.exec(word)?.[1]);
        if (args.length === 0 || users.some((user) => user === undefined)) {
          return { ok: false, error: `Mention the people to ${sub}: \`/case ${sub} 42 @alice @bob\`.` };
        }
        return ok({ kind: sub, ref, users: users as string[] });
      });
    case 'room':
      return withRef(sub, rest, (ref, args) => {
        if (args[0]?.toLowerCase() === 'capture') {
          const what = args[1]?.toLowerCase();
          if (args.length !== 2 || (what !== 'all' && what !== 'pins')) return { ok: false, error: '`/case room 42 capture all` attaches every message of the room; `/case room 42 capture pins` only the pinned ones (:pushpin:).' };
          return ok({ kind: 'room-capture', ref, all: what === 'all' });
        }
        const users = args.map((word) => USER_MENTION.exec(word)?.[1]);
        if (users.some((user) => user === undefined)) return { ok: false, error: '`/case room` takes a case and, if you like, people to invite: `/case room 42 @alice @bob`.' };
        return ok({ kind: 'room', ref, users: users as string[] });
      });
    case 'report':
      return withRef(sub, rest, (ref, args) => (args.length ? { ok: false, error: '`/case report` takes one case, like `/case report 42`.' } : ok({ kind: 'report', ref })));
    case 'role':
      return withRef(sub, rest, (ref, args) => {
        const [role, who, ...extra] = args;
        const user = who === undefined ? undefined : who.toLowerCase() === 'none' ? null : USER_MENTION.exec(who)?.[1];
        if (!ROLES.includes(role?.toLowerCase() as Role) || user === undefined || extra.length) {
          return { ok: false, error: '`/case role` takes a case, a role and a person (or `none`): `/case role 42 lead @alice` — roles are lead, scribe and comms.' };
        }
        return ok({ kind: 'role', ref, role: role!.toLowerCase() as Role, user });
      });
    case 'events':
      return withRef(sub, rest, (ref, args) =>
        args.length ? { ok: false, error: '`/case events` takes one case, like `/case events 42`.' } : ok({ kind: 'events', ref }),
      );
    case 'indicator':
    case 'ioc':
      return withRef('indicator', rest, (ref, args) => {
        const [value, type, ...extra] = args.map(stripSlackLink);
        if (value === undefined || extra.length) return { ok: false, error: 'For example: `/case indicator 42 203.0.113.7` or `/case indicator 42 evil[.]example domain`.' };
        if (type !== undefined && !(INDICATOR_TYPES as readonly string[]).includes(type.toLowerCase())) {
          return { ok: false, error: `Unknown indicator type \`${codeText(type)}\`. Use one of: ${INDICATOR_TYPES.join(', ')}.` };
        }
        return ok({ kind: 'indicator', ref, value, type: type?.toLowerCase() as IndicatorType | undefined });
      });
    case 'timeline':
      return withRef(sub, rest, (ref, args) => {
        const [target, ...title] = args;
        if (target === undefined) return { ok: false, error: 'For example: `/case timeline 42 <Kibana Timeline URL or id> [title]`.' };
        return ok({ kind: 'timeline', ref, target: stripSlackLink(target), ...(title.length ? { title: title.join(' ') } : {}) });
      });
    case 'alert':
      return withRef(sub, rest, (ref, args) => {
        const [alertId, index, ...extra] = args;
        if (alertId === undefined || extra.length) return { ok: false, error: 'For example: `/case alert 42 <alert id> [index]`.' };
        return ok({ kind: 'alert', ref, alertId, ...(index ? { index } : {}) });
      });
    case 'export': {
      const [first] = rest;
      if (first === undefined) return { ok: false, error: 'What to export? `/case export 42 43`, `/case export open` or `/case export all`.' };
      if (rest.length === 1 && (first.toLowerCase() === 'open' || first.toLowerCase() === 'all')) {
        return ok({ kind: 'export', selection: { kind: first.toLowerCase() as 'open' | 'all' } });
      }
      const refs = rest.map(parseCaseRef);
      const bad = refs.find((ref) => !ref.ok);
      if (bad && !bad.ok) return bad;
      return ok({ kind: 'export', selection: { kind: 'cases', refs: refs.flatMap((ref) => (ref.ok ? [ref.ref] : [])) } });
    }
    case 'link':
      return rest.length === 1 ? ok({ kind: 'link', target: rest[0]! }) : { ok: false, error: '`/case link` takes one Kibana case, like `/case link https://kibana.example.com/app/security/cases/<id>` (or its id).' };
    case 'import':
      return rest.length ? { ok: false, error: '`/case import` takes nothing: it opens a form for the file.' } : ok({ kind: 'import' });
    case 'chart': {
      const [target, ...words] = rest;
      if (target?.toLowerCase() === 'all') return ok({ kind: 'chart', target: 'all', words });
      return withRef(sub, rest, (ref, args) => ok({ kind: 'chart', target: ref, words: args }));
    }
    case 'metrics':
      return ok({ kind: 'metrics', words: rest });
    case 'digest':
      return parseDigest(rest);
    case 'tag':
    case 'untag':
      return withRef(sub, rest, (ref, args) => {
        const tags = args.map((word) => tagOf(word) ?? word);
        if (tags.length === 0) return { ok: false, error: `Which tags? For example: \`/case ${sub} 42 #phishing #vip\`.` };
        return ok({ kind: sub, ref, tags });
      });
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
  // An empty title is not an error: the handler opens the new-case modal, prefilled with the rest.
  return ok({ kind: 'new', title: titleWords.join(' '), severity, tags, assignees });
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
        error: `I don't know how to list \`${codeText(word)}\`. Try \`/case list\`, \`/case list closed\`, \`/case list all\`, \`/case list mine\`, \`/case list #phishing\` or \`/case list sev:high\`.`,
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

/** `comment <ref> <text>`: the text is kept as typed, line breaks and spacing included. */
const COMMENT = /^\s*comment\s+(\S+)\s+([\s\S]*\S[\s\S]*)$/i;

function parseComment(refWord: string | undefined, text: string | undefined): ParseResult {
  if (refWord === undefined) return { ok: false, error: 'Which case? For example: `/case comment 42 Blocked the sender at the gateway`' };
  const ref = parseCaseRef(refWord);
  if (!ref.ok) return ref;
  if (text === undefined) return { ok: false, error: `What is the comment? For example: \`/case comment ${refWord} Blocked the sender\`` };
  return ok({ kind: 'comment', ref: ref.ref, text: text.trim() });
}

/** Subcommands of the form `<sub> <ref> <args…>`. */
function withRef(sub: string, words: string[], build: (ref: CaseRef, args: string[]) => ParseResult): ParseResult {
  const [refWord, ...args] = words;
  if (refWord === undefined) return { ok: false, error: `Which case? For example: \`/case ${sub} 42 …\`` };
  const ref = parseCaseRef(refWord);
  return ref.ok ? build(ref.ref, args) : ref;
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
  return { ok: false, error: `\`${codeText(word)}\` is not a case reference. Use the case number from its card, like \`#42\`.` };
}

function parseSeverity(value: string): { ok: true; severity: Severity } | { ok: false; error: string } {
  const lower = value.toLowerCase();
  const matches = lower === '' ? [] : SEVERITIES.filter((severity) => severity.startsWith(lower));
  if (matches.length === 1 && matches[0]) return { ok: true, severity: matches[0] };
  return { ok: false, error: `Unknown severity \`${codeText(value)}\`. Use one of: low, medium, high, critical (e.g. \`sev:high\`).` };
}

function unknownSubcommand(word: string): string {
  const suggestion = SUBCOMMANDS.find((sub) => editDistance(sub, word.toLowerCase()) <= 2);
  const hint = suggestion ? ` Did you mean \`/case ${suggestion}\`?` : '';
  return `I don't know \`/case ${codeText(word)}\`.${hint} Type \`/case help\` to see everything I can do.`;
}

/** Slack turns URLs and domains into `<https://…|label>` links; the value meant is the URL itself. */
function stripSlackLink(word: string): string {
  return /^<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>$/.exec(word)?.[1]?.replace(/^mailto:/, '') ?? word;
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
