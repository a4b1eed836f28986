import fs from 'node:fs';
import path from 'node:path';
import { Harness } from '../support/harness';
import { soleEffectOf } from '../../src/cases/outbox';
import { until } from '../reliability/support/async';
import { fromStore, importLogTo, openCaseByCommand, repliesTo, runCommand, settle, textOf, useHarness } from './support';

const KIBANA_FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/kibana');
const KIBANA_81_EXPORT = path.join(KIBANA_FIXTURES, 'x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson');
const ADMIN = 'U0CAROL';

/** Export files shared in the channel: what a reader of the channel sees. */
const sharedExports = (harness: Harness) => harness.emulator.messagesIn('C0PUBLIC').flatMap((message) => (message.files ?? []).filter((file) => String(file.name).endsWith('.ndjson')));

describe('Kibana export and import from Slack', () => {
  const current = useHarness({ env: { CASEOPS_ADMINS: ADMIN } });
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  /** Exports with a command and returns the bytes Slack received. */
  async function exportBytes(text: string, userId = 'U0ALICE'): Promise<Buffer> {
    harness.emulator.reset();
    await runCommand(harness, text, { userId });
    const upload = await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000);
    return upload.bytes;
  }

  /** An admin uses "Import into caseops" on a message carrying `bytes` as an .ndjson file. */
  async function importBytes(bytes: Buffer, name = 'export.ndjson', userId = ADMIN) {
    harness.emulator.reset();
    harness.emulator.addUserFile({ name, mimetype: 'application/x-ndjson', bytes, channel: 'C0PUBLIC', user: userId });
    const message = harness.emulator.messagesIn('C0PUBLIC').at(-1)!;
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId });
    await settle(harness, 300);
    const log = importLogTo(harness.emulator, userId);
    return { log: textOf(log?.args.blocks), call: log };
  }

  test('/case export streams Kibana ndjson into a Slack file (three-request flow) whose bytes parse', async () => {
    await openCaseByCommand(harness, 'Exported case sev:high #phishing');
    await runCommand(harness, 'comment 1 Blocked the sender');
    await runCommand(harness, 'indicator 1 203.0.113.7');
    const bytes = await exportBytes('export 1');
    expect(harness.emulator.callsTo('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: expect.stringMatching(/^caseops-1-\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.ndjson$/), length: String(bytes.length) });
    expect(harness.emulator.callsTo('files.completeUploadExternal')[0]!.args).toMatchObject({ channel_id: 'C0PUBLIC' });
    const text = bytes.toString('utf8');
    expect(text.endsWith('\n')).toBe(false);
    const objects = text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = objects.at(-1)!;
    expect(summary).toEqual({ excludedObjects: [], excludedObjectsCount: 0, exportedCount: objects.length - 1, missingRefCount: 0, missingReferences: [] });
    const types = objects.slice(0, -1).map((object) => object.type);
    expect(types.filter((type) => type === 'cases')).toHaveLength(1);
    expect(types.filter((type) => type === 'cases-comments')).toHaveLength(2);
    expect(types.filter((type) => type === 'cases-user-actions')).toHaveLength(3);
    const theCase = objects.find((object) => object.type === 'cases') as { attributes: { title: string; severity: number; status: number; tags: string[] } };
    expect(theCase.attributes).toMatchObject({ title: 'Exported case', severity: 20, status: 0, tags: ['phishing'] });
    const progress = harness.emulator.callsTo('chat.update').at(-1)!;
    expect(String(progress.args.text)).toMatch(/Kibana export of case #1: 6 saved objects/);
  });

  test('an export refused for an unknown case leaves nothing under way: asked again at once, it is refused the same way', async () => {
    const asked = async () => String((await runCommand(harness, 'export 42')).text);
    const first = await asked();
    expect(first).toMatch(/no case #42/);
    expect(await asked()).toBe(first);
    expect(harness.emulator.uploads).toHaveLength(0);
  });

  test('the same export asked twice at once posts one file and tells the second asker it is under way', async () => {
    await openCaseByCommand(harness, 'Double tapped');
    harness.emulator.reset();
    const [first, second] = await Promise.all([harness.driver.command('export 1'), harness.driver.command('export 1')]);
    await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000);
    await settle(harness, 300);
    expect(harness.emulator.uploads).toHaveLength(1);
    const replies = [...repliesTo(harness, first.responseUrl), ...repliesTo(harness, second.responseUrl)].map((reply) => String(reply.text));
    expect(replies.filter((text) => /under way or was just posted/.test(text))).toHaveLength(1);
    expect(replies.filter((text) => /posted in this channel/.test(text))).toHaveLength(1);
  });

  test('an export whose upload answer is lost is found by its mark in the channel and posted once', async () => {
    await openCaseByCommand(harness, 'Lost answer');
    harness.emulator.reset();
    harness.emulator.failNext('files.completeUploadExternal', { answerLost: true });
    const reply = await runCommand(harness, 'export 1');
    expect(reply.text).toBe('Your export of case #1 is posted in this channel.');
    expect(harness.emulator.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(harness.emulator.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(sharedExports(harness)).toHaveLength(1);
    // The progress message of the lost attempt was found too, and brought to "done" rather than posted again.
    expect(harness.emulator.callsTo('chat.postMessage').filter((call) => String(call.args.text).includes('Exporting case #1'))).toHaveLength(1);
  });

  test('an export asked while Slack is down survives a restart and is posted once when Slack is back', async () => {
    await openCaseByCommand(harness, 'Asked during an outage');
    harness.emulator.reset();
    harness.emulator.outage(true);
    await harness.driver.command('export 1');
    const exportStream = async () => (await fromStore(harness, (store) => store.outbox.dueStreams(new Date(Date.now() + 3_600_000), 100))).find((stream) => soleEffectOf(stream));
    await until('the export recorded and tried', async () => (await exportStream()) !== undefined && harness.emulator.callsTo('chat.postMessage').length > 0, 15_000);
    const stream = (await exportStream())!;
    await harness.stopApp();
    harness.emulator.outage(false);
    await harness.startApp(); // another process, as after a crash
    await until('the export delivered', async () => (await fromStore(harness, (store) => store.outbox.listEffects(stream)))[0]?.state === 'done', 20_000);
    expect(sharedExports(harness)).toHaveLength(1);
    expect(String(harness.emulator.callsTo('chat.update').at(-1)!.args.text)).toMatch(/Kibana export of case #1: \d+ saved objects/);
  });

  test('a private-channel case is exported into that channel or a direct message, never elsewhere', async () => {
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: ['U0ALICE'] });
    await openCaseByCommand(harness, 'Secret case', { channelId: 'G0SECRET' });
    await exportBytes('export 1');
    expect(harness.emulator.callsTo('files.completeUploadExternal')[0]!.args.channel_id).toMatch(/^D/);
    harness.emulator.reset();
    await runCommand(harness, 'export 1', { channelId: 'G0SECRET' });
    await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000);
    expect(harness.emulator.callsTo('files.completeUploadExternal')[0]!.args.channel_id).toBe('G0SECRET');
    expect((await runCommand(harness, 'export 1', { userId: 'U0BOB' })).text).toMatch(/There is no case #1/);
  });

  test('a real Kibana 8.1 export imports from a message; importing again conflicts, and Overwrite replaces', async () => {
    const { log } = await importBytes(fs.readFileSync(KIBANA_81_EXPORT));
    expect(log).toMatch(/1 case ready to import/);
    expect(log).toMatch(/Written: #1/);
    const shown = textOf((await runCommand(harness, 'list all')).blocks);
    expect(shown).toContain('#1');

    const again = await importBytes(fs.readFileSync(KIBANA_81_EXPORT));
    expect(again.log).toMatch(/A case with this id already exists in caseops/);
    expect(again.log).toContain('import_overwrite');
    harness.emulator.reset();
    const fileId = /\\"file\\":\\"(F\w+)\\"/.exec(again.log)?.[1];
    await harness.driver.blockAction({ actionId: 'import_overwrite', value: JSON.stringify({ file: fileId, channel: 'C0PUBLIC' }), userId: ADMIN, channelId: 'C0PUBLIC' });
    await settle(harness, 300);
    const overwritten = importLogTo(harness.emulator, ADMIN);
    expect(textOf(overwritten?.args.blocks)).toMatch(/replacing existing/);
    expect((await runCommand(harness, 'list all')).text).toMatch(/Cases — 1$/);
  });

  test('an import shows its progress in a direct message, which ends with the outcome before the log is sent', async () => {
    await importBytes(fs.readFileSync(KIBANA_81_EXPORT), 'kibana-81.ndjson');
    const direct = harness.emulator.calls.filter((call) => ['chat.postMessage', 'chat.update'].includes(call.method) && call.args.blocks === undefined);
    expect(direct.map((call) => [call.method, call.args.text])).toEqual([
      ['chat.postMessage', ':hourglass_flowing_sand: Importing `kibana-81.ndjson`…'],
      ['chat.update', ':white_check_mark: Import of `kibana-81.ndjson` finished: 1 of 1 cases written. The log follows.'],
    ]);
    const progress = await harness.emulator.waitFor(() => harness.emulator.messagesIn(String(direct[1]?.args.channel)).find((message) => message.ts === direct[1]?.args.ts));
    expect(progress.text).toMatch(/finished: 1 of 1 cases written/);
    const log = importLogTo(harness.emulator, ADMIN)!;
    expect(harness.emulator.calls.indexOf(log)).toBeGreaterThan(harness.emulator.calls.indexOf(direct[1]!));
  });

  test('an import whose progress message Slack will not edit still writes its cases and sends its log', async () => {
    harness.emulator.reset();
    harness.emulator.failNext('chat.update', { error: 'message_not_found' });
    harness.emulator.addUserFile({ name: 'kibana-81.ndjson', mimetype: 'application/x-ndjson', bytes: fs.readFileSync(KIBANA_81_EXPORT), channel: 'C0PUBLIC', user: ADMIN });
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message: harness.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: ADMIN });
    await settle(harness, 300);
    expect(harness.emulator.callsTo('chat.update')).toHaveLength(1);
    expect(textOf(importLogTo(harness.emulator, ADMIN)?.args.blocks)).toMatch(/Written: #1/);
    expect(textOf(harness.emulator.callsTo('chat.postMessage'))).not.toMatch(/failed on our side/);
  });

  test('imports are for admins only; a file that is not ndjson, or too large, is refused before reading', async () => {
    harness.emulator.addUserFile({ name: 'export.ndjson', mimetype: 'application/x-ndjson', bytes: Buffer.from('{}'), channel: 'C0PUBLIC', user: 'U0BOB' });
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message: harness.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: 'U0BOB' });
    expect((await harness.emulator.waitFor(() => harness.emulator.responses[0])).text).toMatch(/Only caseops admins/);
    expect((await runCommand(harness, 'import', { userId: 'U0BOB' })).text).toMatch(/Only caseops admins/);

    const notNdjson = await importBytes(Buffer.from('hello'), 'notes.txt');
    expect(notNdjson.call).toBeUndefined();
    expect(textOf(harness.emulator.responses)).toMatch(/no \.ndjson file/);
  });

  test('/case import opens a file modal; its submission imports the file the emulator serves at url_private', async () => {
    harness.emulator.reset();
    await harness.driver.command('import', { userId: ADMIN });
    await harness.emulator.waitFor(() => harness.emulator.callsTo('views.open').find((call) => textOf(call.args.view).includes('case_import_modal')));
    const file = harness.emulator.addUserFile({ name: 'kibana.ndjson', mimetype: 'application/x-ndjson', bytes: fs.readFileSync(KIBANA_81_EXPORT), user: ADMIN });
    await harness.driver.viewSubmission({
      callbackId: 'case_import_modal',
      userId: ADMIN,
      privateMetadata: JSON.stringify({ channelId: 'C0PUBLIC' }),
      values: { file: { value: { type: 'file_input', files: [file] } } },
    });
    await settle(harness, 300);
    expect(textOf(importLogTo(harness.emulator, ADMIN)?.args.blocks)).toMatch(/Written: #1/);
  });

  test('caseops export → import into another workspace store → export is byte-identical', async () => {
    await openCaseByCommand(harness, 'Round trip sev:critical #rt <@U0BOB|bob>');
    await runCommand(harness, 'comment 1 first');
    await runCommand(harness, 'alert 1 alert-1');
    await runCommand(harness, 'indicator 1 evil[.]example');
    await runCommand(harness, "timeline 1 https://kibana.example.com/app/security/timelines?timeline=(id:'tl-9',isOpen:!t) Beacon");
    const first = await exportBytes('export 1');

    const other = await Harness.start({ env: { CASEOPS_ADMINS: ADMIN } });
    try {
      other.emulator.addUserFile({ name: 'rt.ndjson', mimetype: 'application/x-ndjson', bytes: first, channel: 'C0PUBLIC', user: ADMIN });
      await other.driver.messageShortcut({ callbackId: 'case_import_file', message: other.emulator.messagesIn('C0PUBLIC').at(-1)!, userId: ADMIN });
      await other.emulator.waitFor(() => importLogTo(other.emulator, ADMIN), 20_000);
      other.emulator.reset();
      await other.driver.command('export 1');
      const second = await other.emulator.waitFor(() => other.emulator.uploads[0], 20_000);
      expect(second.bytes.toString('utf8')).toBe(first.toString('utf8'));
    } finally {
      await other.stop();
    }
  });
});
