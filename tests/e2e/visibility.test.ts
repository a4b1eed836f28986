import { randomUUID } from 'node:crypto';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { Harness } from '../support/harness';
import { openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * DESIGN.md §9: a case opened in a private channel is visible only to that channel's members and to admins,
 * on every surface; to anyone else it answers exactly as a case that does not exist.
 */
const USERS = {
  member: 'U0ALICE',
  nonMember: 'U0BOB',
  admin: 'U0CAROL',
} as const;
type Role = keyof typeof USERS;

const selectOption = (value: string) => ({ selected_option: { text: { type: 'plain_text', text: value }, value } });

describe('visibility matrix: {member, non-member, admin} × {public, private case} × every surface', () => {
  let harness: Harness;
  let store: SqliteCaseStore;
  const cases: Record<'public' | 'private', { number: number; id: string; title: string; channelId: string; ts: string }> = {} as never;

  beforeAll(async () => {
    harness = await Harness.start({ env: { CASEOPS_ADMINS: USERS.admin } });
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: [USERS.member] });
    for (const [kind, channelId] of [['public', 'C0PUBLIC'], ['private', 'G0SECRET']] as const) {
      const title = `${kind} case title`;
      const opened = await openCaseByCommand(harness, title, { userId: USERS.member, channelId });
      cases[kind] = { number: opened.number, id: opened.id, title, channelId, ts: opened.card.ts };
    }
    store = new SqliteCaseStore(harness.dataDir);
    await store.init();
  });

  afterAll(async () => {
    expect(harness.emulator.blockKitViolations).toEqual([]);
    await store.close();
    await harness.stop();
  });

  const canSee = (role: Role, kind: 'public' | 'private') => kind === 'public' || role !== 'nonMember';
  const version = async (kind: 'public' | 'private') => (await store.getCase('T0001', { id: cases[kind].id }))!.version;
  /** Replies reaching the emulator after `mark`: response_url posts, and direct messages. */
  const everythingSince = (mark: number, responseMark: number) =>
    textOf([
      ...harness.emulator.calls.slice(mark).map((call) => [call.method, call.args.text ?? null, call.args.view ?? null]),
      ...harness.emulator.responses.slice(responseMark).map((response) => [response.text, response.blocks, response.response_type]),
    ]);

  async function missingCommandReply(text: string, role: Role) {
    return (await runCommand(harness, text.replace('{n}', '999999'), { userId: USERS[role] })).text?.replace('#999999', '#{n}');
  }

  const roles: Role[] = ['member', 'nonMember', 'admin'];
  const kinds = ['public', 'private'] as const;
  const matrix = roles.flatMap((role) => kinds.map((kind) => [role, kind] as const));

  describe.each(matrix)('%s × %s case', (role, kind) => {
    const userId = () => USERS[role];
    const visible = canSee(role, kind);

    test(`list ${visible ? 'shows' : 'hides'} it`, async () => {
      const reply = await runCommand(harness, 'list all', { userId: userId() });
      expect(textOf(reply.blocks).includes(cases[kind].title)).toBe(visible);
    });

    test.each(['show {n}', 'comment {n} a note', 'status {n} in-progress', 'close {n}', 'reopen {n}', 'severity {n} high', 'assign {n} <@U0BOB|bob>', 'unassign {n} <@U0BOB|bob>', 'tag {n} #x', 'untag {n} #x'])(
      `/case %s ${visible ? 'works' : 'answers as for a missing case and changes nothing'}`,
      async (template) => {
        const before = await version(kind);
        const reply = await runCommand(harness, template.replace('{n}', String(cases[kind].number)), { userId: userId() });
        await settle(harness);
        const missing = (await missingCommandReply(template, role))?.replace('#{n}', `#${cases[kind].number}`);
        if (visible) {
          expect(reply.text).not.toEqual(missing);
        } else {
          expect(reply.text).toEqual(missing);
          expect(textOf(reply)).not.toContain(cases[kind].title);
          expect(await version(kind)).toBe(before);
        }
      },
    );

    test(`App Home ${visible ? 'lists' : 'does not list'} it, and its View ${visible ? 'opens' : 'does not open'} it`, async () => {
      harness.emulator.reset();
      await harness.driver.event({ type: 'app_home_opened', user: userId(), channel: 'D0HOME', tab: 'home' });
      const published = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.publish')[0]);
      expect(textOf(published.args.view).includes(cases[kind].title)).toBe(visible);

      const view = async (caseId: string) => {
        harness.emulator.reset();
        await harness.driver.blockAction({ actionId: 'home_view_case', value: caseId, userId: userId() });
        return textOf((await harness.emulator.waitFor(() => harness.emulator.callsTo('views.update')[0])).args.view);
      };
      const shown = await view(cases[kind].id);
      if (visible) expect(shown).toContain(cases[kind].title);
      else expect(shown).toEqual(await view(randomUUID()));
    });

    const buttons: [string, Record<string, unknown>][] = [
      ['case_status', { type: 'static_select', action: selectOption('in-progress') }],
      ['case_severity', { type: 'static_select', action: selectOption('critical') }],
      ['case_assignees', { type: 'multi_users_select', action: { selected_users: ['U0BOB'] } }],
      ['case_close', {}],
      ['case_reopen', {}],
      ['case_edit', {}],
    ];

    test.each(buttons)(`the card's %s ${visible ? 'acts' : 'answers as for a missing case and changes nothing'}`, async (actionId, extra) => {
      const press = async (caseId: string) => {
        harness.emulator.reset();
        const before = harness.emulator.calls.length;
        await harness.driver.blockAction({ actionId, channelId: cases[kind].channelId, messageTs: cases[kind].ts, blockId: `case:${caseId}`, value: caseId, userId: userId(), ...extra });
        await settle(harness);
        return everythingSince(before, 0);
      };
      const versionBefore = await version(kind);
      const seen = await press(cases[kind].id);
      const missing = await press(randomUUID());
      expect(missing).toContain('That case does not exist.');
      if (visible) {
        expect(seen).not.toContain('That case does not exist.');
      } else {
        expect(seen).toEqual(missing);
        expect(seen).not.toContain(cases[kind].title);
        expect(harness.emulator.callsTo('chat.update')).toEqual([]);
        expect(await version(kind)).toBe(versionBefore);
      }
    });

    test(`a comment modal submitted for it ${visible ? 'comments' : 'is refused like a missing case'}`, async () => {
      const submit = async (caseId: string) => {
        harness.emulator.reset();
        await harness.driver.viewSubmission({
          callbackId: 'case_comment_modal',
          viewId: `V${randomUUID().slice(0, 8).toUpperCase()}`,
          privateMetadata: JSON.stringify({ caseId }),
          values: { comment: { value: { type: 'plain_text_input', value: `note ${randomUUID()}` } } },
          userId: userId(),
        });
        await settle(harness);
        return harness.emulator.callsTo('chat.postMessage').map((call) => [call.args.channel, call.args.text]);
      };
      const before = await version(kind);
      const seen = await submit(cases[kind].id);
      if (visible) {
        expect(await version(kind)).toBe(before + 1);
      } else {
        expect(seen).toEqual(await submit(randomUUID()));
        expect(seen).toEqual([[userId(), expect.stringContaining('That case does not exist.')]]);
        expect(await version(kind)).toBe(before);
      }
    });
  });
});
