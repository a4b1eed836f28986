import fc from 'fast-check';
import { SUBCOMMANDS } from '../../../src/slack/commands/parse';

/**
 * Text as it reaches caseops from Slack: any Unicode (RTL, emoji, zero-width and combining characters),
 * Slack's own markup (`<@U…>`, `<#C…|name>`, `<https://…|label>`, `<!here>`) and HTML escapes (`&amp;`),
 * and the words caseops' commands take, in any combination.
 */

const slackId = (prefix: string) => fc.stringMatching(/^[A-Z0-9]{2,10}$/).map((id) => `${prefix}${id}`);
const label = fc.string({ unit: 'grapheme', maxLength: 20 });

const slackMarkup: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(slackId('U'), fc.option(label)).map(([id, name]) => (name === null ? `<@${id}>` : `<@${id}|${name}>`)),
  fc.constantFrom('<@U0ALICE>', '<@U0BOB|bob>', '<@W0CAROL|carol>'),
  fc.tuple(fc.constantFrom('C', 'G'), slackId(''), fc.option(label)).map(([kind, id, name]) => (name === null ? `<#${kind}${id}>` : `<#${kind}${id}|${name}>`)),
  fc.tuple(fc.webUrl(), fc.option(label)).map(([url, text]) => (text === null ? `<${url}>` : `<${url}|${text}>`)),
  fc.emailAddress().map((email) => `<mailto:${email}|${email}>`),
  fc.constantFrom('<!here>', '<!channel>', '<!everyone>', '<!subteam^S0SOC|@soc>', '<!date^1700000000^{date}|Nov 14>', '<>', '<|>', '<@>', '<#|>'),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&amp;lt;', '&lt;@U0BOB&gt;', '&lt;!channel&gt;', '&', '<', '>', '&#39;', '&quot;'),
);

const invisible: fc.Arbitrary<string> = fc.constantFrom(
  '\u200b', // zero-width space
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u200e', // LTR mark
  '\u200f', // RTL mark
  '\u202e', // RTL override
  '\u2066',
  '\u0301', // combining acute accent, with nothing to combine with
  '\u00a0', // no-break space
  '\u3000', // ideographic space
);

const foreignScript: fc.Arbitrary<string> = fc.constantFrom('שלום', 'مرحبا بالعالم', 'Привет', '你好世界', 'こんにちは', 'Ελληνικά', 'ﷺ', 'Z̴̡̛a̷l̸g̵o̶', '𝕿𝖊𝖘𝖙', 'İı');

const emoji: fc.Arbitrary<string> = fc.constantFrom('🔥', '👩🏽‍💻', '🏳️‍🌈', '🇫🇷', '❤️', '😀', '🧑‍🤝‍🧑', ':fire:', ':+1::skin-tone-3:');

/** Words the subcommands understand, so random commands get past the parser and into the use-cases. */
export const commandVocabulary: fc.Arbitrary<string> = fc.constantFrom(
  'open', 'closed', 'in', 'progress', 'in-progress', 'inprogress', 'active', 'all', 'mine',
  'sev:low', 'sev:med', 'sev:high', 'SEV:crit', 'severity:critical', 'sev:', 'sev:x', 'low', 'medium', 'high', 'critical',
  '#phishing', '#c2', '#', '##', '#🔥',
  'activity', 'events', 'last', '24h', '7d', '30d', '90d', 'by', '1h', '6h', '1d', '1m', 'from', 'to', '2024-01-01T00:00:00Z', '2024-13-45', 'split', 'channel', 'author',
  '203.0.113.7', '2001:db8::1', '10.0.0.5', 'evil[.]example', 'hxxps://evil[.]example/x?a=1', 'user@evil[.]example', 'd41d8cd98f00b204e9800998ecf8427e', 'ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha256', 'email', 'hash',
  '6b8c0f3e-alert', '.alerts-security.alerts-default',
  "https://kibana.example.com/app/security/timelines?timeline=(id:'tl-1',isOpen:!t)", 'tl-1',
);

export const anyWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
  { weight: 3, arbitrary: slackMarkup },
  { weight: 2, arbitrary: invisible },
  { weight: 1, arbitrary: foreignScript },
  { weight: 1, arbitrary: emoji },
  { weight: 4, arbitrary: commandVocabulary },
);

/** Whitespace Slack passes through: spaces, tabs, newlines, and the exotic kinds a phone keyboard types. */
const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\n', '\u00a0', '\u3000', ' \u200b ');

/** A case reference: mostly the cases that exist (1 and 2), else anything a user might type. */
const caseRef = (existing: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...existing) },
    { weight: 1, arbitrary: fc.nat({ max: 2_000_000_000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('0', '-1', '#0', '1e3', '#', '0x1', '١', '1.5', '9999999999', '#00001') },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: anyWord },
  );

/** Every subcommand and alias, sometimes in capitals or misspelt, as the first word. */
const subcommand = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...SUBCOMMANDS, 'open', 'create', 'ls', 'view', 'ioc', 'sev', '?') },
  { weight: 1, arbitrary: fc.constantFrom(...SUBCOMMANDS).map((sub) => sub.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom(...SUBCOMMANDS).map((sub) => `${sub.slice(1)}${sub[0]}`) },
);

/** A long string (up to 100,000 UTF-16 units, which keeps the form body under the app's 1 MB limit). */
const hugeText = fc
  .tuple(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), slackMarkup, emoji), fc.integer({ min: 3_000, max: 100_000 }))
  .map(([chunk, length]) => chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length));

const join = (words: string[], separators: string[]) => words.map((word, index) => `${index ? separators[index % separators.length] : ''}${word}`).join('');

/**
 * `/case` command text: a subcommand with a case reference and random arguments (most of it), random text,
 * or a huge argument.
 */
export function commandText(existingRefs: string[]): fc.Arbitrary<string> {
  const structured = fc
    .tuple(subcommand, fc.option(caseRef(existingRefs), { freq: 5 }), fc.array(anyWord, { maxLength: 6 }), fc.array(separator, { minLength: 1, maxLength: 3 }))
    .map(([sub, ref, args, separators]) => join([sub, ...(ref === null ? [] : [ref]), ...args], separators));
  const huge = fc.tuple(subcommand, caseRef(existingRefs), hugeText).map(([sub, ref, text]) => `${sub} ${ref} ${text}`);
  return fc.oneof(
    { weight: 85, arbitrary: structured },
    { weight: 10, arbitrary: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.array(anyWord, { maxLength: 8 }).map((words) => words.join(' '))) },
    { weight: 1, arbitrary: huge },
  );
}
