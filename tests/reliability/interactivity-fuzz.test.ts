import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { DATABASE_FILE } from '../../src/storage/sqlite/sqlite-store';
import { Harness } from '../support/harness';
import type { DriverResponse } from '../support/slack-driver';
import { appListenerIds } from './support/listener-ids';
import { ACK_DEADLINE_MS, type Activity, activitySince, crashesIn, markOf, quiet, START } from './support/observations';
import { watchUnhandledRejections } from './support/process-watch';
import { SuiteTally } from './support/report';
import { fuzzRuns, scaled, scaledTimeout } from './support/scale';
import { anyWord, commandVocabulary } from './support/slack-text';
import { auditStore } from './support/store-audit';
import { CaseTargets, CHANNEL, eachTestWithTargets, casePicked, onCard, pick, PRIVATE_CHANNEL, TEAM, type Target } from './support/targets';

/**
 * Buttons, menus, modal submissions and typeahead requests that are well-formed but carry anything: action
 * ids of every listener, stale or garbage private_metadata and values, and case ids that do not exist or
 * belong to a private channel the user is not in. Bob and Carol do the clicking; only Alice is in the private channel.
 */

const OUTSIDERS = ['U0BOB', 'U0CAROL'];
const BATCH = 12;
/** Slack's pause before it gives up on a request: Bolt answers 404 when nothing acked it by then. */
const BOLT_UNHANDLED_MS = 3001;

/** The fixtures the payloads point at. */
interface World {
  /** A public case, with an open "Add to case" modal about a message (its capture saved). */
  publicCase: Target;
  modalViewId: string;
  /** Alice's case in the private channel; its title's token must never reach Bob or Carol. */
  secretCase: Target;
}

type Interaction =
  | { kind: 'action'; userId: string; actionId: string; type: string; value?: string; blockId?: string; action: Record<string, unknown>; where: { channelId: string; messageTs: string } | { viewId: string } }
  | { kind: 'submission'; userId: string; callbackId: string; viewId: string; privateMetadata: string; values: Record<string, unknown> }
  | { kind: 'suggestion'; userId: string; actionId: string; value: string; viewId: string };

const slackOption = (value: fc.Arbitrary<string>) => value.map((text) => ({ text: { type: 'plain_text', text: text.slice(0, 75) || '·' }, value: text }));
const userIds = fc.array(fc.oneof(fc.constantFrom('U0ALICE', 'U0BOB', 'U0CAROL', 'W0NEW'), fc.stringMatching(/^[UWB][A-Z0-9]{1,10}$/), anyWord), { maxLength: 12 });

function arbitraries(world: World) {
  const caseId = fc.oneof(fc.constantFrom(world.publicCase.caseId!, world.secretCase.caseId!, world.secretCase.caseId!), fc.uuid(), anyWord, fc.constant(''));
  const captureId = fc.oneof(fc.constant(world.publicCase.captureId!), fc.uuid(), anyWord);
  const garbage = fc.oneof(anyWord, commandVocabulary, fc.string({ unit: 'grapheme', maxLength: 3000 }));
  const actionValue = fc.oneof(
    caseId,
    fc.tuple(caseId, fc.oneof(fc.nat({ max: 100 }).map(String), fc.uuid(), anyWord)).map(([id, rest]) => `${id}:${rest}`),
    fc.record({ file: fc.oneof(fc.constant('F0NOSUCH'), anyWord), channel: fc.constantFrom(CHANNEL, PRIVATE_CHANNEL) }).map((value) => JSON.stringify(value)),
    garbage,
  );
  const text = fc.option(garbage, { nil: null }).map((value) => ({ value: { type: 'plain_text_input', value } }));
  const select = fc.option(slackOption(fc.oneof(commandVocabulary, garbage)), { nil: null }).map((selected_option) => ({ value: { type: 'static_select', selected_option } }));
  const metadata = fc.oneof(
    fc.record({ caseId, captureId, channelId: fc.constantFrom(CHANNEL, PRIVATE_CHANNEL, 'C0GONE', 'D0BOB') }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.constantFrom('', 'null', '[]', '{', '"x"', '{"caseId":5}', '{"captureId":null}'),
    anyWord,
  );
  // Every field of every caseops modal, each present or not (a modal from an older version lacks some).
  const values = fc.record(
    {
      title: text,
      description: text,
      severity: select,
      tags: text,
      assignees: userIds.map((selected_users) => ({ value: { type: 'multi_users_select', selected_users } })),
      channel: fc.option(fc.constantFrom(CHANNEL, PRIVATE_CHANNEL, 'C0GONE'), { nil: null }).map((selected_conversation) => ({ value: { type: 'conversations_select', selected_conversation } })),
      comment: text,
      case: fc.option(slackOption(caseId), { nil: null }).map((selected_option) => ({ case_picker: { type: 'external_select', selected_option } })),
      note: text,
      indicators_0: fc.array(slackOption(fc.oneof(fc.nat({ max: 60 }).map(String), anyWord)), { maxLength: 12 }).map((selected_options) => ({ value: { type: 'checkboxes', selected_options } })),
      more_indicators: text,
      what: select,
      range: select,
      bucket: select,
      file: fc.array(fc.record({ id: fc.constantFrom('F0NOSUCH', 'F0OTHER'), name: fc.constantFrom('export.ndjson', 'x.txt'), url_private_download: fc.webUrl() }), { maxLength: 2 }).map((files) => ({ value: { type: 'file_input', files } })),
    },
    { requiredKeys: [] },
  );
  const where = fc.constantFrom<Extract<Interaction, { kind: 'action' }>['where']>(
    { channelId: CHANNEL, messageTs: world.publicCase.cardTs! },
    // The secret case's card, as Bob saw it before he left the private channel.
    { channelId: PRIVATE_CHANNEL, messageTs: world.secretCase.cardTs! },
    // An ephemeral message (a /case show card): the emulator does not hold it.
    { channelId: CHANNEL, messageTs: '1700000000.000100' },
    { viewId: world.modalViewId },
  );
  return { caseId, actionValue, metadata, values, where };
}

/**
 * The `/case help` buttons exist only in that reply, a message with a response_url; every other element can
 * also be pressed in a modal (the card in App Home's case view, the events list).
 */
const MESSAGE_ONLY_ACTIONS = new Set(['help_my_cases', 'help_open_cases']);

function interactionArb(world: World, ids: ReturnType<typeof appListenerIds>): fc.Arbitrary<Interaction> {
  const { caseId, actionValue, metadata, values, where } = arbitraries(world);
  const userId = fc.constantFrom(...OUTSIDERS);
  const action = fc
    .record({
      kind: fc.constant('action' as const),
      userId,
      actionId: fc.constantFrom(...ids.actions),
      type: fc.constantFrom('button', 'static_select', 'multi_users_select', 'external_select', 'overflow', 'users_select'),
      value: fc.option(actionValue, { nil: undefined }),
      blockId: fc.option(fc.oneof(caseId.map((id) => `case:${id}`), anyWord), { nil: undefined }),
      action: fc.record({ selected_option: fc.option(slackOption(actionValue), { nil: null }), selected_users: userIds }, { requiredKeys: [] }),
      where,
    })
    .filter((interaction) => !(MESSAGE_ONLY_ACTIONS.has(interaction.actionId) && 'viewId' in interaction.where));
  const submission = fc.record({
    kind: fc.constant('submission' as const),
    userId,
    callbackId: fc.constantFrom(...ids.views),
    viewId: fc.stringMatching(/^V[A-Z0-9]{9}$/),
    privateMetadata: metadata,
    values,
  });
  const suggestion = fc.record({
    kind: fc.constant('suggestion' as const),
    userId,
    actionId: fc.constantFrom(...ids.options),
    value: fc.oneof(anyWord, fc.constantFrom('', '1', '#1', '2', '#2', 'target', world.secretCase.token), fc.string({ maxLength: 150 })),
    viewId: fc.constant(world.modalViewId),
  });
  return fc.oneof({ weight: 6, arbitrary: action }, { weight: 5, arbitrary: submission }, { weight: 2, arbitrary: suggestion });
}

function send(harness: Harness, interaction: Interaction): Promise<DriverResponse> {
  switch (interaction.kind) {
    case 'action': {
      const { actionId, type, value, blockId, action, userId, where } = interaction;
      return harness.driver.blockAction({ actionId, type, value, blockId, action, userId, ...where });
    }
    case 'submission':
      return harness.driver.viewSubmission(interaction);
    case 'suggestion':
      return harness.driver.blockSuggestion(interaction);
  }
}

/** Alice's public case with an "Add to case" modal open about a message, and her private case. */
async function buildWorld(targets: CaseTargets): Promise<World> {
  const publicCase = await targets.captureMessage();
  const modalViewId = targets.emulator.latestModalId()!;
  return { publicCase, modalViewId, secretCase: await targets.openPrivateCase() };
}

describe('interactivity fuzzing', () => {
  const tally = new SuiteTally('interactivity');
  const unhandled = watchUnhandledRejections();
  const ids = appListenerIds();
  let harness: Harness;
  let targets: CaseTargets;
  let world: World;

  beforeAll(async () => {
    harness = await Harness.start();
    targets = await CaseTargets.open(harness);
    world = await buildWorld(targets);
  });

  afterAll(async () => {
    tally.recordWatched(unhandled);
    await targets.close();
    await harness.stop();
  });

  /**
   * What reached Bob and Carol about the secret case: its title anywhere, or its id offered by the case
   * picker. (A modal opened from a button carries the id the button sent; that tells them nothing new.)
   */
  function leaksIn(activity: Activity, batch: Interaction[], answers: DriverResponse[]): string[] {
    const sent = [...activity.calls.map((call) => JSON.stringify(call.args)), ...activity.responses.map((response) => JSON.stringify(response)), ...answers.map((answer) => answer.body)];
    const offered = answers.filter((answer, index) => batch[index]!.kind === 'suggestion' && answer.body.includes(world.secretCase.caseId!)).map((answer) => answer.body);
    return [...sent.filter((text) => text.includes(world.secretCase.token)), ...offered];
  }

  /** What Bob and Carol could change if visibility failed: the secret case, its history and its evidence. */
  async function secretState() {
    const theCase = await targets.store.getCase(TEAM, { id: world.secretCase.caseId! });
    const actions = await targets.store.listUserActions(world.secretCase.caseId!, { limit: 1000 });
    const attachments = await targets.store.listAttachments(world.secretCase.caseId!, { limit: 1000 });
    return { version: theCase?.version, userActions: actions.length, attachments: attachments.length };
  }

  test(
    `${scaled(50 * BATCH)} random block_actions, view_submission and block_suggestion payloads: acked in time, clear answers, nothing done to a case the user cannot see`,
    async () => {
      const before = await secretState();
      await fc.assert(
        fc.asyncProperty(fc.array(interactionArb(world, ids), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const mark = markOf(harness);
          const answers = await Promise.all(batch.map((interaction) => send(harness, interaction)));
          await quiet(harness.emulator, 30);
          tally.add('inputsFuzzed', batch.length);
          const activity = activitySince(harness, mark);
          const leaks = leaksIn(activity, batch, answers);
          const crashes = crashesIn(activity);
          tally.add('leaks', leaks.length);
          tally.add('crashes', crashes.length);
          expect({
            lateOrRefused: batch.flatMap((interaction, index) => (answers[index]!.status === 200 && answers[index]!.elapsedMs < ACK_DEADLINE_MS ? [] : [{ interaction, status: answers[index]!.status }])),
            unreadableAnswers: answers.filter((answer) => answer.body !== '' && !isJsonObject(answer.body)).map((answer) => answer.body),
            blockKitViolations: harness.emulator.blockKitViolations,
            crashes,
            leaks,
            unhandledRejections: unhandled.unhandledRejections,
          }).toEqual({ lateOrRefused: [], unreadableAnswers: [], blockKitViolations: [], crashes: [], leaks: [], unhandledRejections: [] });
        }),
        // A failing batch is reported as it is (the check that failed names the payloads); no long shrinking.
        { ...fuzzRuns(scaled(50)), endOnFailure: true },
      );
      // Some work outlives its ack by seconds (waiting for a case or a message capture that never comes).
      await quiet(harness.emulator, BOLT_UNHANDLED_MS);
      const after = await secretState();
      const audit = await auditStore(harness.dataDir);
      const health = await harness.health();
      tally.add('leaks', after.version === before.version ? 0 : 1);
      tally.note(`${tally.figures.inputsFuzzed.toLocaleString('en-US')} payloads from two users outside the private channel, in batches of ${BATCH}: the ${ids.actions.length} action ids, ${ids.views.length} modal callback ids and ${ids.options.length} options id the app listens for, with garbage values, stale or broken private_metadata, missing or extra modal fields, and the ids of a public case, of a private case they cannot see, of no case.`);
      tally.note(`The private case afterwards: version ${before.version} → ${after.version}, user actions ${before.userActions} → ${after.userActions}, attachments ${before.attachments} → ${after.attachments}; store audit ${audit.problems.length ? audit.problems.join('; ') : 'consistent'}; /healthz ${health.status}.`);
      expect(after).toEqual(before);
      expect(audit.problems).toEqual([]);
      expect(health.status).toBe(200);
      expect(crashesIn(activitySince(harness, START))).toEqual([]);
    },
    scaledTimeout(360_000),
  );

  test(`${scaled(30)} payloads with ids no listener has are refused by Bolt and change nothing`, async () => {
    const mark = markOf(harness);
    const casesBefore = (await auditStore(harness.dataDir)).cases;
    const unknownId = fc.stringMatching(/^[a-z_]{3,30}$/).filter((id) => ![...ids.actions, ...ids.views, ...ids.options].includes(id));
    const payloads = fc.sample(
      fc.oneof(
        unknownId.map((actionId): Interaction => ({ kind: 'action', userId: 'U0BOB', actionId, type: 'button', value: world.publicCase.caseId!, action: {}, where: onCard(world.publicCase) })),
        unknownId.map((callbackId): Interaction => ({ kind: 'submission', userId: 'U0BOB', callbackId, viewId: `V${randomUUID().slice(0, 9).toUpperCase()}`, privateMetadata: JSON.stringify({ caseId: world.publicCase.caseId! }), values: {} })),
        unknownId.map((actionId): Interaction => ({ kind: 'suggestion', userId: 'U0BOB', actionId, value: 'beacon', viewId: world.modalViewId })),
      ),
      fuzzRuns(scaled(30)),
    );
    const answers = await Promise.all(payloads.map((payload) => send(harness, payload)));
    tally.add('inputsFuzzed', payloads.length);
    tally.note(`${payloads.length} payloads with unknown action, callback and options ids: answered ${[...new Set(answers.map((answer) => answer.status))].join('/')} (acked by the fallback listeners; see BUG-UNKNOWN-IDS), no Slack Web API call, no case changed.`);
    expect(answers.map((answer) => answer.status).every((status) => status === 200)).toBe(true);
    expect(activitySince(harness, mark).calls).toEqual([]);
    expect((await auditStore(harness.dataDir)).cases).toEqual(casesBefore);
  });
});

describe('bugs the interactivity fuzz found', () => {
  let harness: Harness;
  let targets: CaseTargets;
  eachTestWithTargets((started, opened) => {
    harness = started;
    targets = opened;
  });

  /** "Add to case" on a message, submitted after the capture's hour is over (the draft expired in SQLite). */
  async function submitAfterCaptureExpired() {
    const target = await targets.captureMessage();
    await quiet(harness.emulator);
    const db = new Database(path.join(harness.dataDir, DATABASE_FILE));
    db.prepare("UPDATE drafts SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    db.close();
    harness.emulator.reset();
    return targets.driver.viewSubmission({ callbackId: 'case_add_message_modal', privateMetadata: target.privateMetadata!, values: casePicked(target.caseId!) });
  }

  // BUG-STALE-CAPTURE-ACK (fixed): the Add to case and new-case submissions waited up to 3 s for the message
  // capture before acking; with the capture gone (a modal open past its one-hour TTL), Bolt answered 404 at
  // 3 s, Slack showed an error in the modal, and the late ack threw so the work never ran.
  test('BUG-STALE-CAPTURE-ACK: an Add to case modal submitted after its message capture expired is acked within 3 s', async () => {
    const answer = await submitAfterCaptureExpired();
    expect({ status: answer.status, inTime: answer.elapsedMs < ACK_DEADLINE_MS }).toEqual({ status: 200, inTime: true });
  });

  // BUG-CAPTURE-SAYS-NO-CASE (fixed): with the capture gone, Add to case said "That case does not exist." about
  // a case that exists.
  test('BUG-CAPTURE-SAYS-NO-CASE: an expired capture is explained as such, not as a missing case', async () => {
    await submitAfterCaptureExpired();
    // The work waits for the capture (3 s) before it gives up and says so, by direct message.
    const told = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.postMessage').find((call) => call.args.channel === 'U0ALICE'), 2 * BOLT_UNHANDLED_MS);
    expect(told.args.text).toMatch(/message/i);
    expect(told.args.text).not.toContain('That case does not exist');
  });

  // BUG-CHART-MODAL-GENERIC (fixed): a chart modal choice that does not parse (from a modal another version
  // opened) was treated as a crash: an error log and "Something went wrong on our side".
  test('BUG-CHART-MODAL-GENERIC: a chart modal choice this version does not offer is answered with what is wrong', async () => {
    const theCase = await targets.openCase();
    const menu = (value: string) => ({ value: { type: 'static_select', ...pick(value) } });
    await targets.driver.viewSubmission({ callbackId: 'case_chart_modal', privateMetadata: JSON.stringify({ caseId: theCase.caseId }), values: { what: menu('alerts split rule'), range: menu('last 7d') } });
    const told = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.postMessage').find((call) => call.args.channel === 'U0ALICE'));
    expect(told.args.text).not.toContain('Something went wrong');
  });

  // BUG-UNKNOWN-IDS (fixed): nothing acked an action, view or options request whose id no listener has, so
  // Bolt answered 404 after 3 s and Slack showed the user an error. Cards and modals outlive versions: a
  // button from a card posted by an older or newer caseops (a rollback, a renamed action id) failed like this
  // instead of saying it no longer works (src/slack/fallbacks.ts now acks and says so).
  test('BUG-UNKNOWN-IDS: a button no listener knows (from a card of another version) is acked within 3 s and explained', async () => {
    const theCase = await targets.openCase();
    const answer = await targets.driver.blockAction({ actionId: 'case_export_v0', ...onCard(theCase), value: theCase.caseId });
    expect({ status: answer.status, inTime: answer.elapsedMs < ACK_DEADLINE_MS }).toEqual({ status: 200, inTime: true });
    const told = await targets.emulator.waitFor(() => targets.emulator.responses.find((response) => String(response.text).includes('no longer does anything')));
    expect(told).toMatchObject({ response_type: 'ephemeral' });
  });
});

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}
