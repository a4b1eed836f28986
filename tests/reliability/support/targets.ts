import { randomUUID } from 'node:crypto';
import type { CaseStore } from '../../../src/cases/store';
import { SqliteCaseStore } from '../../../src/storage/sqlite/sqlite-store';
import { textOf } from '../../e2e/support';
import { Harness } from '../../support/harness';
import type { SlackDriver } from '../../support/slack-driver';
import type { SlackEmulator } from '../../support/slack-emulator';
import { until } from './async';
import { quiet } from './observations';
import { FreshConnectionDriver } from './drivers';

export const TEAM = 'T0001';
export const CHANNEL = 'C0PUBLIC';
/** Only Alice is in it: Bob and Carol must never see or change its cases. */
export const PRIVATE_CHANNEL = 'G0SECRET';

/** What one delivery (or one flow) acts on: its own case, message or modal, so effects can be told apart. */
export interface Target {
  /** Unique word in the case title and message text: finds what belongs to this target. */
  token: string;
  caseId?: string;
  /** The case number, for commands. */
  number?: number;
  cardTs?: string;
  channelId?: string;
  /** The message a shortcut or an event is about, and the capture its modal refers to. */
  message?: { ts: string };
  captureId?: string;
  /** Metadata of the modal to submit. */
  privateMetadata?: string;
}

/**
 * Effects by name: user actions (`status/update`), attachments (`attachment:event`) and cases in the store;
 * cards, thread lines, files and message captures in Slack.
 */
export type Effects = Record<string, number>;

const isStoreEffect = (name: string) => name === 'cases' || name.includes('/') || name.startsWith('attachment:');

/** The effects the store holds: what must never be lost or doubled, whatever Slack does. */
export const storeEffects = (effects: Effects): Effects => Object.fromEntries(Object.entries(effects).filter(([name]) => isStoreEffect(name)));

/** `after - before`, without the names that did not change, sorted so two results compare as JSON. */
export function effectDelta(after: Effects, before: Effects): Effects {
  return Object.fromEntries(
    [...new Set([...Object.keys(after), ...Object.keys(before)])]
      .filter((name) => (after[name] ?? 0) !== (before[name] ?? 0))
      .sort()
      .map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]),
  );
}

/** A running caseops: in this process (a Harness) or in a child process, with its emulator and data. */
export interface AppUnderTest {
  readonly emulator: SlackEmulator;
  readonly baseUrl: string;
  readonly dataDir: string;
}

/** Sets up targets through the app (as a user would), and reads back everything a target has. */
export class CaseTargets {
  readonly driver: SlackDriver;
  readonly emulator: SlackEmulator;
  private count = 0;

  private constructor(
    app: AppUnderTest,
    readonly store: CaseStore,
  ) {
    this.emulator = app.emulator;
    this.driver = new FreshConnectionDriver(app.baseUrl, app.emulator);
  }

  /** Reads through `store` (opened here; closed by close()), by default the app's SQLite store. */
  static async open(app: AppUnderTest, store: CaseStore = new SqliteCaseStore(app.dataDir)): Promise<CaseTargets> {
    await store.init();
    return new CaseTargets(app, store);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  token(): string {
    this.count += 1;
    return `tgt${this.count}x${randomUUID().slice(0, 6)}`;
  }

  /** Opens a case and waits until its card is posted and recorded, so later changes edit it. */
  async openCase(options: { channelId?: string; userId?: string } = {}): Promise<Target> {
    const token = this.token();
    const channelId = options.channelId ?? CHANNEL;
    await this.driver.command(`new Target ${token} sev:low`, { channelId, userId: options.userId });
    // Recorded calls are read as they are; the emulator's message lists are cloned on every read.
    const card = await this.emulator.waitFor(() => this.cardPosts(token).at(-1));
    const caseId = /"block_id":"case:([0-9a-f-]{36})"/.exec(textOf(card.args.blocks))![1]!;
    await until(`the card of ${token} recorded`, async () => (await this.store.getCase(TEAM, { id: caseId }))?.origin.cardTs !== undefined);
    const theCase = (await this.store.getCase(TEAM, { id: caseId }))!;
    return { token, caseId, number: theCase.number, cardTs: theCase.origin.cardTs, channelId };
  }

  /** A case Alice opens in a private channel only she is in (a fresh channel: nothing about it is cached yet). */
  async openPrivateCase(channelId = PRIVATE_CHANNEL): Promise<Target> {
    this.emulator.addChannel({ id: channelId, name: channelId.toLowerCase(), isPrivate: true, members: ['U0ALICE'] });
    return this.openCase({ channelId, userId: 'U0ALICE' });
  }

  /** A case and a message (with indicators in it) captured by "Add to case", its modal open. */
  async captureMessage(): Promise<Target> {
    const target = await this.openCase();
    const message = this.postMessage(target.token);
    await this.driver.messageShortcut({ callbackId: 'case_add_message', message });
    const privateMetadata = await this.emulator.waitFor(() => this.modalsAbout(target.token)[0]);
    const captureId = (JSON.parse(privateMetadata) as { captureId: string }).captureId;
    await until('the message capture', async () => (await this.store.getDraft(captureId)) !== null);
    return { ...target, message, captureId, privateMetadata };
  }

  /** A captured message attached to its case, as the target of edit and deletion events. */
  async attachMessage(): Promise<Target> {
    const target = await this.captureMessage();
    await this.driver.viewSubmission({ callbackId: 'case_add_message_modal', viewId: `V${this.token().toUpperCase()}`, privateMetadata: target.privateMetadata, values: casePicked(target.caseId!) });
    await until('the attached message', async () => (await this.store.listAttachments(target.caseId!, { limit: 10, types: ['event'] })).length === 1);
    return target;
  }

  /** A message Bob posts in the channel, mentioning an IP and a domain. */
  postMessage(token: string): { ts: string } {
    return this.emulator.addMessage({ channel: CHANNEL, user: 'U0BOB', text: `${token} beacon to 198.51.100.23 and hxxp://bad-${token}[.]example/x` });
  }

  /** Everything the target has, in the store and in Slack. */
  async effectsOf(target: Target): Promise<Effects> {
    return (await this.effectsOfAll([target]))[0]!;
  }

  /**
   * Everything each target has: user actions, attachments and cases in the store; in Slack, its cards (as
   * posted), whether the card shows the case as stored, its thread lines, files and message captures.
   */
  async effectsOfAll(targets: Target[]): Promise<Effects[]> {
    const emulator = this.emulator;
    // One copy of the channel for all targets: the emulator clones messages on every read.
    const posted = emulator.messagesIn(CHANNEL).filter((message) => message.user === emulator.botUserId && isTopLevel(message));
    return Promise.all(
      targets.map(async (target) => {
        const effects: Effects = {};
        const add = (name: string, count = 1) => {
          if (count) effects[name] = (effects[name] ?? 0) + count;
        };
        const cases = target.caseId
          ? [await this.store.getCase(TEAM, { id: target.caseId })].flatMap((found) => (found ? [found] : []))
          : (await this.store.findCases({ teamId: TEAM, search: target.token, limit: 10 })).cases;
        add('cases', cases.length);
        const cards = (target.channelId ?? CHANNEL) === CHANNEL ? posted : emulator.messagesIn(target.channelId!).filter(isTopLevel);
        add('cards', cards.filter((message) => message.text.includes(target.token)).length);
        for (const theCase of cases) {
          for (const action of await this.store.listUserActions(theCase.id, { limit: 1000 })) add(`${action.type}/${action.action}`);
          for (const attachment of await this.store.listAttachments(theCase.id, { limit: 1000 })) add(`attachment:${attachment.type}`);
          const card = cards.find((message) => message.ts === theCase.origin.cardTs);
          add('cardInSync', card?.text.endsWith(`(${theCase.severity}, ${theCase.status})`) ? 1 : 0);
          if (theCase.origin.cardTs) add('threadLines', emulator.messagesIn(theCase.origin.channelId, { threadTs: theCase.origin.cardTs }).length);
          add('files', emulator.uploads.filter((upload) => new RegExp(`^case(ops)?-${theCase.number}-`).test(upload.filename)).length);
        }
        const captures = this.modalsAbout(target.token).map((metadata) => (JSON.parse(metadata) as { captureId?: string }).captureId);
        const drafts = await Promise.all([...new Set(captures)].flatMap((id) => (id ? [this.store.getDraft(id)] : [])));
        add('captures', drafts.filter(Boolean).length);
        return effects;
      }),
    );
  }

  /** Card posts the app attempted for cases whose title has the token (failed ones included). */
  private cardPosts(token: string) {
    return this.emulator.callsTo('chat.postMessage').filter((call) => call.args.thread_ts === undefined && String(call.args.text).includes(token));
  }

  /** private_metadata of the modals opened about the target's message (Add to case). */
  private modalsAbout(token: string): string[] {
    return this.emulator
      .callsTo('views.open')
      .filter((call) => textOf(call.args.view).includes(token))
      .map((call) => (call.args.view as { private_metadata: string }).private_metadata);
  }
}

/** A message of the channel itself, not a thread reply (a parent carries its own ts as thread_ts). */
const isTopLevel = (message: { ts: string; thread_ts?: string }) => message.thread_ts === undefined || message.thread_ts === message.ts;

export const pick = (value: string) => ({ selected_option: { text: { type: 'plain_text', text: value }, value } });
export const input = (value: string) => ({ value: { type: 'plain_text_input', value } });
export const casePicked = (caseId: string) => ({ case: { case_picker: { type: 'external_select', ...pick(caseId) } } });
export const onCard = (target: Target) => ({ channelId: target.channelId ?? CHANNEL, messageTs: target.cardTs! });

/**
 * A fresh caseops (in this process) and its targets for each test of the enclosing `describe`, handed to
 * `use`; after each test, once Slack traffic is quiet, both are closed.
 */
export function eachTestWithTargets(use: (harness: Harness, targets: CaseTargets) => void): void {
  let current: { harness: Harness; targets: CaseTargets } | undefined;
  beforeEach(async () => {
    const harness = await Harness.start();
    current = { harness, targets: await CaseTargets.open(harness) };
    use(current.harness, current.targets);
  });
  afterEach(async () => {
    if (!current) return;
    await quiet(current.harness.emulator);
    await current.targets.close();
    await current.harness.stop();
  });
}
