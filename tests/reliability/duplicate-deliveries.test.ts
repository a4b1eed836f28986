import { Harness } from '../support/harness';
import type { SlackDriver } from '../support/slack-driver';
import { RedeliveringDriver, type Redelivery } from './support/drivers';
import { activitySince, crashesIn, markOf, quiet } from './support/observations';
import { watchUnhandledRejections } from './support/process-watch';
import { SuiteTally } from './support/report';
import { scaled, scaledTimeout } from './support/scale';
import { auditStore } from './support/store-audit';
import { mapWithConcurrency, until } from './support/async';
import { CaseTargets, CHANNEL, casePicked, type Effects, effectDelta, input, onCard, pick, TEAM, type Target } from './support/targets';

/**
 * "Nothing twice" (DESIGN.md §1.3): every write path, delivered two or three times — byte-identical copies
 * at once or one after another (Slack's retries, a proxy's), and for buttons and modals also fresh payloads
 * (a double tap, a modal submitted twice with the same view id) — has exactly the effect of one delivery.
 *
 * Each delivery acts on a target of its own (a fresh case, a fresh message), so all of them run at once and
 * the effects are read per target: user actions and attachments in the store, card, thread lines and files in
 * Slack, message captures. A repeated delivery must leave the same effects as a single one.
 */

/** Targets set up at once. */
const PREPARED_AT_ONCE = 8;
/**
 * Deliveries of one round in flight at once (each with all its copies, which still race each other). Unbounded, a
 * round of ~150 requests to one process sharing 2 cores with the emulator answered its last message shortcuts after
 * their trigger id had expired (Slack's 3 s), which is the machine's limit, not a duplicate's effect.
 */
const DELIVERED_AT_ONCE = 40;

/** A write path: how to set up a target and how one delivery reaches the app. */
interface WritePath {
  name: string;
  /** Whether a double tap is a thing here: buttons and modal submissions (a fresh payload each time). */
  tappable: boolean;
  prepare(targets: CaseTargets): Promise<Target>;
  deliver(driver: SlackDriver, target: Target): Promise<unknown>;
}

type Delivery = { kind: 'single' } | ({ kind: 'redelivered' } & Redelivery) | { kind: 'double tap'; copies: number; mode: Redelivery['mode'] };

const describeDelivery = (delivery: Delivery) => (delivery.kind === 'single' ? 'once' : `${delivery.kind} ×${delivery.copies} ${delivery.mode}`);

const openCase = (targets: CaseTargets) => targets.openCase();

/** A case opened by the target's own modal: nothing exists before the delivery. */
const nothingYet = async (targets: CaseTargets): Promise<Target> => ({ token: targets.token() });

const commandPath = (name: string, text: (target: Target) => string): WritePath => ({
  name: `/case ${name}`,
  tappable: false,
  prepare: openCase,
  deliver: (driver, target) => driver.command(text(target)),
});

const buttonPath = (actionId: string, extra: Record<string, unknown> = {}, prepare: (targets: CaseTargets) => Promise<Target> = openCase): WritePath => ({
  name: `${actionId} button`,
  tappable: true,
  prepare,
  deliver: (driver, target) => driver.blockAction({ actionId, ...onCard(target), ...extra }),
});

/** The target's modal, always submitted with the same view id (Slack keeps it for the life of the modal). */
const modalPath = (callbackId: string, prepare: (targets: CaseTargets) => Promise<Target>, submission: (target: Target) => { privateMetadata: string; values: Record<string, unknown> }): WritePath => ({
  name: `${callbackId} submission`,
  tappable: true,
  prepare,
  deliver: (driver, target) => driver.viewSubmission({ callbackId, viewId: `V${target.token.toUpperCase()}`, ...submission(target) }),
});

const eventPath = (name: string, event: (target: Target) => object): WritePath => ({
  name,
  tappable: false,
  prepare: (targets) => targets.attachMessage(),
  deliver: (driver, target) => driver.event(event(target)),
});

/** Every write path but export (BUG-DUP-EXPORT, guarded at the end). */
const WRITE_PATHS: WritePath[] = [
  { name: '/case new', tappable: false, prepare: nothingYet, deliver: (driver, t) => driver.command(`new Redelivered ${t.token}`) },
  commandPath('comment', (t) => `comment ${t.number} Isolated the host ${t.token}`),
  commandPath('status', (t) => `status ${t.number} in progress`),
  commandPath('severity', (t) => `severity ${t.number} critical`),
  commandPath('close', (t) => `close ${t.number}`),
  commandPath('assign', (t) => `assign ${t.number} <@U0BOB|bob> <@U0CAROL|carol>`),
  commandPath('tag', (t) => `tag ${t.number} #phishing #vip`),
  commandPath('indicator', (t) => `indicator ${t.number} evil-${t.token}[.]example domain`),
  commandPath('alert', (t) => `alert ${t.number} alert-${t.token}`),
  commandPath('timeline', (t) => `timeline ${t.number} tl-${t.token} Beacon timeline`),
  commandPath('chart', (t) => `chart ${t.number} activity last 24h`),
  buttonPath('case_status', { type: 'static_select', action: pick('in-progress') }),
  buttonPath('case_severity', { type: 'static_select', action: pick('high') }),
  buttonPath('case_assignees', { type: 'multi_users_select', action: { selected_users: ['U0BOB', 'U0CAROL'] } }),
  buttonPath('case_close'),
  buttonPath('case_reopen', {}, async (targets) => {
    const target = await targets.openCase();
    await targets.driver.blockAction({ actionId: 'case_close', ...onCard(target) });
    await until('the case closed', async () => (await targets.store.getCase(TEAM, { id: target.caseId! }))?.status === 'closed');
    await quiet(targets.emulator, 50);
    return target;
  }),
  modalPath('case_new_modal', nothingYet, (t) => ({ privateMetadata: JSON.stringify({ channelId: CHANNEL }), values: { title: input(`Modal case ${t.token}`), severity: { value: { type: 'static_select', ...pick('medium') } } } })),
  modalPath('case_comment_modal', openCase, (t) => ({ privateMetadata: JSON.stringify({ caseId: t.caseId }), values: { comment: input(`Blocked the sender ${t.token}`) } })),
  modalPath('case_edit_modal', openCase, (t) => ({ privateMetadata: JSON.stringify({ caseId: t.caseId }), values: { title: input(`Renamed ${t.token}`), description: input('Seen by EDR at 02:10') } })),
  modalPath('case_add_message_modal', (targets) => targets.captureMessage(), (t) => ({ privateMetadata: t.privateMetadata!, values: casePicked(t.caseId!) })),
  modalPath('case_indicators_modal', (targets) => targets.captureMessage(), (t) => ({
    privateMetadata: JSON.stringify({ caseId: t.caseId, captureId: t.captureId }),
    values: { indicators_0: { value: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'x' }, value: '0' }, { text: { type: 'plain_text', text: 'y' }, value: '1' }] } }, more_indicators: input('d41d8cd98f00b204e9800998ecf8427e') },
  })),
  modalPath('case_chart_modal', openCase, (t) => ({ privateMetadata: JSON.stringify({ caseId: t.caseId }), values: { what: { value: { type: 'static_select', ...pick('activity') } }, range: { value: { type: 'static_select', ...pick('last 7d') } } } })),
  {
    name: 'Add to case shortcut',
    tappable: false,
    prepare: async (targets) => {
      const token = targets.token();
      return { token, message: targets.postMessage(token) };
    },
    deliver: (driver, target) => driver.messageShortcut({ callbackId: 'case_add_message', message: target.message! }),
  },
  eventPath('message_changed event', (t) => ({ type: 'message', subtype: 'message_changed', channel: CHANNEL, hidden: true, ts: `${Date.now() / 1000}`, message: { type: 'message', user: 'U0BOB', text: `${t.token} edited: NOT clean`, ts: t.message!.ts, edited: { user: 'U0BOB', ts: `${Date.now() / 1000}` } } })),
  eventPath('message_deleted event', (t) => ({ type: 'message', subtype: 'message_deleted', channel: CHANNEL, hidden: true, ts: `${Date.now() / 1000}`, deleted_ts: t.message!.ts, previous_message: { type: 'message', user: 'U0BOB', text: 'x', ts: t.message!.ts } })),
];

const REDELIVERIES: Delivery[] = [
  { kind: 'redelivered', copies: 2, mode: 'concurrent' },
  { kind: 'redelivered', copies: 3, mode: 'concurrent' },
  { kind: 'redelivered', copies: 2, mode: 'sequential' },
  { kind: 'redelivered', copies: 3, mode: 'sequential' },
];
const DOUBLE_TAPS: Delivery[] = [
  { kind: 'double tap', copies: 2, mode: 'concurrent' },
  { kind: 'double tap', copies: 3, mode: 'sequential' },
];

const deliveriesFor = (path: WritePath): Delivery[] => [{ kind: 'single' }, ...REDELIVERIES, ...(path.tappable ? DOUBLE_TAPS : [])];

describe('duplicate deliveries', () => {
  const tally = new SuiteTally('duplicates');
  const unhandled = watchUnhandledRejections();
  let harness: Harness;
  let targets: CaseTargets;

  beforeAll(async () => {
    harness = await Harness.start({ env: { KIBANA_URL: 'https://kibana.example.com' } });
    targets = await CaseTargets.open(harness);
  });

  afterAll(async () => {
    tally.recordWatched(unhandled);
    await targets.close();
    await harness.stop();
  });

  /** Delivers `path` to a fresh target in the given way; resolves with the copies sent. */
  async function deliver(path: WritePath, target: Target, delivery: Delivery): Promise<number> {
    if (delivery.kind === 'single') {
      await path.deliver(targets.driver, target);
      return 1;
    }
    if (delivery.kind === 'redelivered') {
      const driver = new RedeliveringDriver(harness.baseUrl, harness.emulator, delivery);
      await path.deliver(driver, target);
      return driver.delivered;
    }
    const taps = Array.from({ length: delivery.copies }, () => () => path.deliver(targets.driver, target));
    if (delivery.mode === 'concurrent') await Promise.all(taps.map((tap) => tap()));
    else for (const tap of taps) await tap();
    return delivery.copies;
  }

  /**
   * One round: every path, delivered once and in every repeated way, each to its own target, all at once.
   * Returns, per path and way, the effect it had beyond what its target started with.
   */
  async function round(paths: WritePath[]) {
    const runs = paths.flatMap((path) => deliveriesFor(path).map((delivery) => ({ path, delivery })));
    const prepared = await mapWithConcurrency(runs, PREPARED_AT_ONCE, (run) => run.path.prepare(targets));
    await quiet(harness.emulator, 100);
    const before = await targets.effectsOfAll(prepared);
    const indexes = runs.map((_, index) => index);
    const copies = await mapWithConcurrency(indexes, DELIVERED_AT_ONCE, (index) => deliver(runs[index]!.path, prepared[index]!, runs[index]!.delivery));
    // Work goes on after the ack: charts render, captures are awaited.
    await quiet(harness.emulator, 300);
    const after = await targets.effectsOfAll(prepared);
    return runs.map((run, index) => ({ ...run, copies: copies[index]!, effect: effectDelta(after[index]!, before[index]!) }));
  }

  test(
    `every write path delivered 2–3 times (${scaled(4)} rounds, 1,000+ deliveries) has the effect of one delivery`,
    async () => {
      const mark = markOf(harness);
      const mismatches: { path: string; delivery: string; once: Effects; repeated: Effects }[] = [];
      let noEffect: string[] = [];
      for (let index = 0; index < scaled(4); index += 1) {
        const results = await round(WRITE_PATHS);
        for (const path of WRITE_PATHS) {
          const ofPath = results.filter((result) => result.path === path);
          const once = ofPath.find((result) => result.delivery.kind === 'single')!.effect;
          if (Object.keys(once).length === 0) noEffect = [...new Set([...noEffect, path.name])];
          for (const repeated of ofPath.filter((result) => result.delivery.kind !== 'single')) {
            tally.add('duplicatesDelivered', repeated.copies);
            if (JSON.stringify(repeated.effect) !== JSON.stringify(once)) {
              mismatches.push({ path: path.name, delivery: describeDelivery(repeated.delivery), once, repeated: repeated.effect });
            }
          }
        }
      }
      const crashes = crashesIn(activitySince(harness, mark));
      const audit = await auditStore(harness.dataDir);
      tally.add('duplicates', mismatches.length);
      tally.add('crashes', crashes.length);
      tally.note(`${WRITE_PATHS.length} write paths (${WRITE_PATHS.map((path) => path.name).join(', ')}), each delivered once and then ${REDELIVERIES.map(describeDelivery).join(', ')}${', and for buttons and modals as a double tap (fresh payload, same view id) ×2 at once and ×3 in a row'}; ${scaled(4)} rounds, every delivery to a fresh target, all in flight together.`);
      tally.note(`Effects compared per target: cases, cards, whether the card shows the stored case, user actions by type, attachments by type, thread lines, files, message captures. Repeated deliveries whose effect differed from one delivery: ${mismatches.length}. Store audit: ${audit.problems.length ? audit.problems.join('; ') : 'consistent'}.`);
      expect({ noEffect, mismatches, crashes, auditProblems: audit.problems, unhandledRejections: unhandled.unhandledRejections }).toEqual({ noEffect: [], mismatches: [], crashes: [], auditProblems: [], unhandledRejections: [] });
      expect(tally.figures.duplicatesDelivered).toBeGreaterThanOrEqual(scaled(1000));
    },
    scaledTimeout(360_000),
  );

  // BUG-DUP-EXPORT (fixed): an export had no idempotency key, from the command or from the card's Export
  // button, so the same request delivered twice, or a double tap on the button, posted the case's export into
  // the channel twice. Exports under way are now claimed in the store (src/cases/request-claims.ts).
  test.each([
    ['/case export delivered twice', commandPath('export', (t) => `export ${t.number}`), { kind: 'redelivered', copies: 2, mode: 'concurrent' }],
    ['the Export button pressed twice', buttonPath('case_export'), { kind: 'double tap', copies: 2, mode: 'concurrent' }],
  ] as [string, WritePath, Delivery][])('BUG-DUP-EXPORT: %s posts one export', async (_name, path, delivery) => {
    const results = await roundOf(path, delivery);
    expect(results.repeated).toEqual(results.once);
  });

  // BUG-REDELIVERED-MODAL-ERROR (fixed): a button or shortcut that opens a modal, delivered twice, opens it
  // once — Slack exchanges a trigger_id once — but the second delivery's views.open failed with
  // exchanged_trigger_id and the handler reported it next to the modal that did open: the card buttons as an
  // unexpected failure, the message shortcuts as "Slack did not let me open the form… use the shortcut again".
  test.each([
    ['the Comment button', (driver: SlackDriver, target: Target) => driver.blockAction({ actionId: 'case_comment', ...onCard(target) })],
    ['the Add to case shortcut', (driver: SlackDriver, target: Target) => driver.messageShortcut({ callbackId: 'case_add_message', message: target.message! })],
  ])('BUG-REDELIVERED-MODAL-ERROR: %s delivered twice opens its modal and says nothing else', async (_name, press) => {
    const target = { ...(await targets.openCase()), message: targets.postMessage(targets.token()) };
    const mark = markOf(harness);
    await press(new RedeliveringDriver(harness.baseUrl, harness.emulator, { copies: 2, mode: 'concurrent' }), target);
    await quiet(harness.emulator);
    expect(activitySince(harness, mark).responses.map((response) => response.text)).toEqual([]);
  });

  /** A path delivered once and in one repeated way, each to a fresh target. */
  async function roundOf(path: WritePath, delivery: Delivery) {
    const results = await round([path]);
    const once = results.find((result) => result.delivery.kind === 'single')!.effect;
    const repeated = results.find((result) => describeDelivery(result.delivery) === describeDelivery(delivery))!.effect;
    return { once, repeated };
  }
});
