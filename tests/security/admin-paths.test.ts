/**
 * Import, overwrite and create-new-copies are for caseops admins (CASEOPS_ADMINS) only, and `export all` exports
 * only what the asker may see. Every entry is attacked by a non-admin through signed requests, including
 * payloads the non-admin could only have forged (a modal they were never shown, the admin's import-log buttons,
 * private_metadata naming the admin): each is refused on the server, and nothing is read or written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { openCaseByCommand, runCommand, settle, textOf, useHarness } from '../e2e/support';
import type { Harness } from '../support/harness';
import { recordAttack } from './support/security-report';

const KIBANA_81_EXPORT = path.resolve(
  __dirname,
  '../../../shared/fixtures/kibana/x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson',
);
const ADMIN = 'U0CAROL';
const NON_ADMIN = 'U0BOB';
const ONLY_ADMINS = /Only caseops admins/;

describe('admin-only paths check the actor on the server', () => {
  const current = useHarness({ env: { CASEOPS_ADMINS: ADMIN } });
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  function sharedExport() {
    const file = harness.emulator.addUserFile({ name: 'kibana.ndjson', mimetype: 'application/x-ndjson', bytes: fs.readFileSync(KIBANA_81_EXPORT), channel: 'C0PUBLIC', user: ADMIN });
    return { file, message: harness.emulator.messagesIn('C0PUBLIC').at(-1)! };
  }

  async function caseCount(): Promise<number> {
    const store = new SqliteCaseStore(harness.dataDir);
    await store.init();
    try {
      return (await store.findCases({ teamId: harness.emulator.teamId, limit: 100 })).cases.length;
    } finally {
      await store.close();
    }
  }

  /** Nothing was read from Slack's files and no case was written. */
  async function expectNothingImported(casesBefore: number) {
    await settle(harness, 300);
    expect(harness.emulator.callsTo('files.info')).toEqual([]);
    expect(await caseCount()).toBe(casesBefore);
  }

  test('the admin can import (so the refusals below are the actor check)', async () => {
    const { message } = sharedExport();
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    await settle(harness, 300);
    expect(await caseCount()).toBe(1);
  });

  test('/case import by a non-admin: refused, no modal', async () => {
    expect((await runCommand(harness, 'import', { userId: NON_ADMIN })).text).toMatch(ONLY_ADMINS);
    expect(harness.emulator.callsTo('views.open')).toEqual([]);
    recordAttack('admin', '/case import by a non-admin', 'refused, no modal');
  });

  test('the import message shortcut by a non-admin: refused, the file is not read', async () => {
    const { message } = sharedExport();
    harness.emulator.reset();
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: NON_ADMIN });
    expect((await harness.emulator.waitFor(() => harness.emulator.responses[0])).text).toMatch(ONLY_ADMINS);
    await expectNothingImported(0);
    recordAttack('admin', 'import shortcut by a non-admin', 'refused, file not read');
  });

  test.each([
    ['with its own metadata', (channel: string) => JSON.stringify({ channelId: channel })],
    ['with private_metadata naming the admin', (channel: string) => JSON.stringify({ channelId: channel, userId: ADMIN, actor: ADMIN, admin: true })],
    ['with malformed private_metadata', () => '{"channelId":'],
  ])('a forged import modal submission by a non-admin %s: refused by direct message, nothing read', async (label, metadata) => {
    const { file } = sharedExport();
    harness.emulator.reset();
    await harness.driver.viewSubmission({ callbackId: 'case_import_modal', userId: NON_ADMIN, privateMetadata: metadata('C0PUBLIC'), values: { file: { value: { type: 'file_input', files: [file] } } } });
    await settle(harness, 300);
    const told = harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === NON_ADMIN);
    expect(textOf(told)).toMatch(ONLY_ADMINS);
    await expectNothingImported(0);
    recordAttack('admin', `forged import modal submission ${label}`, 'refused, file not read');
  });

  test.each(['import_overwrite', 'import_copies'])('the admin’s %s button pressed by a non-admin: refused, nothing read or written', async (actionId) => {
    const { file, message } = sharedExport();
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    await settle(harness, 300);
    await harness.driver.messageShortcut({ callbackId: 'case_import_file', message, userId: ADMIN });
    await settle(harness, 300);
    const log = harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === ADMIN).at(-1)!;
    expect(textOf(log.args.blocks)).toContain(actionId);
    harness.emulator.reset();
    await harness.driver.blockAction({ actionId, value: JSON.stringify({ file: file.id, channel: 'C0PUBLIC' }), userId: NON_ADMIN, channelId: 'C0PUBLIC' });
    expect((await harness.emulator.waitFor(() => harness.emulator.responses[0])).text).toMatch(ONLY_ADMINS);
    await expectNothingImported(1);
    recordAttack('admin', `${actionId} button pressed by a non-admin`, 'refused, nothing read or written');
  });

  test('export all by a non-admin holds only the cases they may see, never a private channel’s', async () => {
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: [ADMIN] });
    await openCaseByCommand(harness, 'Private incident xyzzy', { channelId: 'G0SECRET', userId: ADMIN });
    await openCaseByCommand(harness, 'Public incident', { userId: NON_ADMIN });
    harness.emulator.reset();
    await runCommand(harness, 'export all', { userId: NON_ADMIN });
    const exported = (await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000)).bytes.toString('utf8');
    expect(exported).toContain('Public incident');
    expect(exported).not.toContain('xyzzy');
    harness.emulator.reset();
    await runCommand(harness, 'export all', { userId: ADMIN });
    expect((await harness.emulator.waitFor(() => harness.emulator.uploads[0], 20_000)).bytes.toString('utf8')).toContain('xyzzy');
    recordAttack('admin', 'export all by a non-admin', 'only the cases they may see');
  });
});
