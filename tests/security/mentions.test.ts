/**
 * User text reaches many messages caseops posts. Property: whatever hostile markup a user or a file carries
 * (`<!channel>`, `<!here>`, `<!subteam^…>`, `<@U…>`, a link under a misleading label, or their &-escaped
 * forms), nothing caseops sends to Slack renders it live. Every chat.*, views.*, files.* call and response_url
 * payload the emulator recorded is checked (support/notifications.ts says how).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { openCaseByCommand, settle } from '../e2e/support';
import { Harness } from '../support/harness';
import { HOSTILE_CHANNEL, HOSTILE_HOST, HOSTILE_USER, liveMarkupIn } from './support/notifications';
import { recordAttack } from './support/security-report';

const KIBANA_81_EXPORT = path.resolve(
  __dirname,
  '../../../shared/fixtures/kibana/x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson',
);
const ADMIN = 'U0CAROL';
const RUNS = 12;

/** Markup as Slack delivers it (live) and as a user typed it (&-escaped), which caseops must never unescape. */
const hostileMarkup = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!channel|channel>',
  '<!here|@here>',
  '<!subteam^S9EVIL|@soc-team>',
  `<@${HOSTILE_USER}>`,
  `<@${HOSTILE_USER}|boss>`,
  `<#${HOSTILE_CHANNEL}|general>`,
  `<https://${HOSTILE_HOST}/login|https://slack.com/signin>`,
  `<https://${HOSTILE_HOST}/x|Open case #1 in Kibana>`,
  `<mailto:a@${HOSTILE_HOST}|security@company.com>`,
  '&lt;!channel&gt;',
  `&lt;@${HOSTILE_USER}&gt;`,
  `&lt;https://${HOSTILE_HOST}|caseops&gt;`,
  '*:rotating_light: caseops*',
  '`',
  '```',
  '>',
);
const filler = fc.constantFrom('urgent', 'see', 'ping', 'x', '🔥', 'mal\u200bware', '*bold*', '_i_', '~s~', '203.0.113.7', 'evil.com');

/** A title, comment or message: hostile markup among ordinary words, always at least one piece of markup. */
const hostileText = fc
  .tuple(fc.array(fc.oneof(hostileMarkup, filler), { maxLength: 5 }), hostileMarkup, fc.nat())
  .map(([words, markup, at]) => {
    const all = [...words];
    all.splice(at % (all.length + 1), 0, markup);
    return all.join(' ');
  });

let harness: Harness;
let caseNumber: number;
const tried: Record<string, number> = {};

beforeAll(async () => {
  harness = await Harness.start({ env: { CASEOPS_ADMINS: ADMIN } });
  caseNumber = (await openCaseByCommand(harness, 'Target case')).number;
});

afterAll(async () => {
  for (const [surface, count] of Object.entries(tried)) recordAttack('mentions', `hostile markup in ${surface}`, 'never live in what caseops sent', count);
  await harness.stop();
});

/** Runs `post` for hostile texts and checks everything caseops sent after each. */
async function property(surface: string, post: (text: string) => Promise<void>) {
  await fc.assert(
    fc.asyncProperty(hostileText, async (text) => {
      harness.emulator.reset();
      await post(text);
      await settle(harness);
      tried[surface] = (tried[surface] ?? 0) + 1;
      expect(liveMarkupIn(harness.emulator.calls, harness.emulator.responses)).toEqual([]);
      expect(harness.emulator.blockKitViolations).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}

/** `/case <text>`; whatever caseops answers (a reply, a card, a modal) is waited for by `property`. */
const command = (text: string) => harness.driver.command(text).then(() => undefined);

// `/case new … <@U…>` assigns that person, whom the card then mentions on purpose: the one intended mention. The
// forgiving parser also reads a mention typed out as text (Slack sends it escaped, `&lt;@U…&gt;`) as an assignment.
const withoutAssignment = (text: string) => text.replaceAll(`<@${HOSTILE_USER}`, `@${HOSTILE_USER}`).replaceAll(`&lt;@${HOSTILE_USER}`, `@${HOSTILE_USER}`);
test('case titles (card, thread, replies)', () => property('case titles', (text) => command(`new ${withoutAssignment(text)}`)));
test('title changes', () => property('title changes', (text) => command(`title ${caseNumber} ${text}`)));
test('comments', () => property('comments', (text) => command(`comment ${caseNumber} ${text}`)));
test('tags', () => property('tags', (text) => command(`tag ${caseNumber} ${text.split(' ').map((word) => `#${word}`).join(' ')}`)));
test('indicator values', () => property('indicator values', (text) => command(`indicator ${caseNumber} ${text.replace(/\s+/g, '')}`)));
test('chart requests (index patterns, ranges and query text echoed in refusals)', () =>
  property('chart requests', (text) => command(`chart ${caseNumber} query "${text}" index ${text.replace(/\s+/g, '')} last ${text}`)));
test('case lists and searches', () => property('lists and searches', (text) => command(`list #${text.replace(/\s+/g, '')}`)));

test('attached Slack messages', () =>
  property('attached messages', async (text) => {
    const message = harness.emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text });
    await harness.driver.messageShortcut({ callbackId: 'case_from_message', message });
    await settle(harness);
  }));

test('imported ndjson content, file names and the import log', () =>
  property('imported ndjson and import log', async (text) => {
    const objects = fs.readFileSync(KIBANA_81_EXPORT, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type?: string; attributes?: Record<string, unknown> });
    for (const object of objects) {
      if (object.type === 'cases' && object.attributes) Object.assign(object.attributes, { title: text, description: text, tags: [text] });
      if (object.type === 'cases-comments' && object.attributes) object.attributes.comment = text;
    }
    const bytes = Buffer.from(`${objects.map((object) => JSON.stringify(object)).join('\n')}\n{"broken": ${JSON.stringify(text)}`);
    harness.emulator.addUserFile({ name: `${text.replace(/[\s/]+/g, '_').slice(0, 60)}.ndjson`, mimetype: 'application/x-ndjson', bytes, channel: 'C0PUBLIC', user: ADMIN });
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message: harness.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: ADMIN });
    await settle(harness, 300);
  }));
