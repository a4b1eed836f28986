import { Harness } from '../support/harness';
import { openCaseByCommand, replyTo, runCommand, settle, textOf, useHarness } from './support';

const selectOption = (value: string) => ({ selected_option: { text: { type: 'plain_text', text: value }, value } });

/** view_submission state in Slack's shapes (fixtures/slack/payloads/view_submission.*). */
function newCaseValues(fields: { title: string; severity?: string; description?: string; tags?: string; users?: string[]; channel?: string }) {
  return {
    title: { value: { type: 'plain_text_input', value: fields.title } },
    severity: { value: { type: 'static_select', ...selectOption(fields.severity ?? 'low') } },
    description: { value: { type: 'plain_text_input', value: fields.description ?? null } },
    tags: { value: { type: 'plain_text_input', value: fields.tags ?? null } },
    assignees: { value: { type: 'multi_users_select', selected_users: fields.users ?? [] } },
    ...(fields.channel ? { channel: { value: { type: 'conversations_select', selected_conversation: fields.channel } } } : {}),
  };
}

describe('working a case from Slack', () => {
  const current = useHarness();
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  const opened = (callbackId: string) => harness.emulator.callsTo('views.open').filter((call) => textOf(call.args.view).includes(callbackId));

  test('/case new with no title opens the modal, prefilled from what was typed; submitting it opens the case', async () => {
    await harness.driver.command('new sev:high #phishing <@U0BOB|bob>');
    const call = await harness.emulator.waitFor(() => opened('case_new_modal')[0]);
    const view = call.args.view as { id?: string; private_metadata: string; blocks: unknown[] };
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: 'C0PUBLIC' });
    expect(textOf(view.blocks)).toContain('"initial_value":"phishing"');
    expect(textOf(view.blocks)).toContain('"initial_users":["U0BOB"]');
    expect(textOf(view.blocks)).not.toContain('conversations_select');

    const submitted = await harness.driver.viewSubmission({
      callbackId: 'case_new_modal',
      privateMetadata: view.private_metadata,
      values: newCaseValues({ title: 'Credential phish from a lookalike domain', severity: 'high', description: 'Reported by *finance*', tags: '#phishing, vip', users: ['U0BOB'] }),
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC')[0]);
    expect(card.text).toBe('Case #1: Credential phish from a lookalike domain (high, open)');
    expect(textOf(card.blocks)).toContain('`vip`');
    const shown = await runCommand(harness, 'show 1');
    expect(textOf(shown.blocks)).toContain('opened the case');
  });

  test('invalid input shows inline in the modal and opens nothing', async () => {
    const response = await harness.driver.viewSubmission({
      callbackId: 'case_new_modal',
      privateMetadata: JSON.stringify({ channelId: 'C0PUBLIC' }),
      values: newCaseValues({ title: '   ', tags: Array.from({ length: 201 }, (_, i) => `t${i}`).join(' ') }),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      response_action: 'errors',
      errors: { title: 'A case needs a title', tags: 'A case can have at most 200 tags' },
    });
    await settle(harness);
    expect(harness.emulator.callsTo('chat.postMessage')).toEqual([]);
  });

  test('the global shortcut asks for the channel, and the card goes there', async () => {
    harness.emulator.addChannel({ id: 'C0IR', name: 'incident-response', members: ['U0ALICE'] });
    await harness.driver.globalShortcut({ callbackId: 'case_new' });
    const call = await harness.emulator.waitFor(() => opened('case_new_modal')[0]);
    expect(textOf(call.args.view)).toContain('conversations_select');
    const missing = await harness.driver.viewSubmission({ callbackId: 'case_new_modal', privateMetadata: '{}', values: newCaseValues({ title: 'No channel' }) });
    expect(JSON.parse(missing.body)).toMatchObject({ response_action: 'errors', errors: { channel: expect.any(String) } });
    await harness.driver.viewSubmission({ callbackId: 'case_new_modal', privateMetadata: '{}', values: newCaseValues({ title: 'From a phone', channel: 'C0IR' }) });
    const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0IR')[0]);
    expect(card.text).toContain('#1: From a phone');
  });

  test('a modal submitted twice (a double tap) opens one case and posts one card', async () => {
    await harness.driver.command('new');
    const view = (await harness.emulator.waitFor(() => opened('case_new_modal')[0])).args.view as { private_metadata: string };
    const viewId = 'V0DOUBLETAP';
    const submit = () =>
      harness.driver.viewSubmission({ callbackId: 'case_new_modal', viewId, privateMetadata: view.private_metadata, values: newCaseValues({ title: 'Twice' }) });
    await Promise.all([submit(), submit()]);
    await submit();
    await settle(harness);
    expect(harness.emulator.messagesIn('C0PUBLIC')).toHaveLength(1);
    expect((await runCommand(harness, 'list all')).text).toMatch(/^Cases — 1$/);
  });

  test('the help buttons open the modal in the channel and list cases', async () => {
    const help = await runCommand(harness, 'help');
    expect(textOf(help.blocks)).toContain('help_new_case');
    await harness.driver.blockAction({ actionId: 'help_new_case', channelId: 'C0PUBLIC' });
    const call = await harness.emulator.waitFor(() => opened('case_new_modal')[0]);
    expect(JSON.parse((call.args.view as { private_metadata: string }).private_metadata)).toEqual({ channelId: 'C0PUBLIC' });
  });

  describe('on the case card', () => {
    let theCase: Awaited<ReturnType<typeof openCaseByCommand>>;

    beforeEach(async () => {
      theCase = await openCaseByCommand(harness, 'Beacon to 203.0.113.7 sev:medium');
      harness.emulator.reset();
    });

    const act = (actionId: string, extra: Record<string, unknown> = {}, userId = 'U0ALICE') =>
      harness.driver.blockAction({ actionId, channelId: 'C0PUBLIC', messageTs: theCase.card.ts, userId, ...extra });

    /** The card edited once and one line added to its thread since the last reset. */
    async function expectCardUpdate(expected: RegExp, threadLine: RegExp) {
      const update = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
      expect(update.args).toMatchObject({ channel: 'C0PUBLIC', ts: theCase.card.ts });
      expect(textOf(update.args.blocks)).toMatch(expected);
      const post = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.postMessage')[0]);
      expect(post.args).toMatchObject({ channel: 'C0PUBLIC', thread_ts: theCase.card.ts });
      expect(post.args.text).toMatch(threadLine);
      await settle(harness);
      expect(harness.emulator.callsTo('chat.update')).toHaveLength(1);
      expect(harness.emulator.callsTo('chat.postMessage')).toHaveLength(1);
    }

    test.each([
      ['case_status', { type: 'static_select', action: selectOption('in-progress') }, /In progress/, /<@U0ALICE> set status to .*In progress/],
      ['case_severity', { type: 'static_select', action: selectOption('critical') }, /Critical/, /set severity to .*Critical/],
      ['case_assignees', { type: 'multi_users_select', action: { selected_users: ['U0BOB', 'U0CAROL'] } }, /<@U0BOB> <@U0CAROL>/, /assigned <@U0BOB> <@U0CAROL>/],
      ['case_close', {}, /Reopen/, /set status to .*Closed/],
    ])('%s edits the card in place, posts one line in its thread and records the user action', async (actionId, extra, card, line) => {
      const response = await act(actionId, extra);
      expect(response.status).toBe(200);
      await expectCardUpdate(card, line);
      const history = textOf((await runCommand(harness, `show ${theCase.number}`)).blocks);
      expect(history).toMatch(line);
    });

    test('reopen after close', async () => {
      await act('case_close');
      await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
      await settle(harness);
      harness.emulator.reset();
      await act('case_reopen');
      await expectCardUpdate(/"action_id":"case_close"/, /set status to .*Open/);
    });

    test('the same button pressed twice has one effect', async () => {
      await Promise.all([act('case_close'), act('case_close')]);
      await act('case_close');
      await settle(harness);
      expect(harness.emulator.callsTo('chat.update')).toHaveLength(1);
      expect(harness.emulator.messagesIn('C0PUBLIC', { threadTs: theCase.card.ts })).toHaveLength(1);
    });

    test('Comment opens a modal at once; its submission adds the comment (once, even if submitted twice)', async () => {
      await act('case_comment');
      const call = await harness.emulator.waitFor(() => opened('case_comment_modal')[0]);
      const metadata = (call.args.view as { private_metadata: string }).private_metadata;
      const values = { comment: { value: { type: 'plain_text_input', value: 'Blocked the sender at the gateway' } } };
      await Promise.all([
        harness.driver.viewSubmission({ callbackId: 'case_comment_modal', viewId: 'V0COMMENT', privateMetadata: metadata, values }),
        harness.driver.viewSubmission({ callbackId: 'case_comment_modal', viewId: 'V0COMMENT', privateMetadata: metadata, values }),
      ]);
      await expectCardUpdate(/1 comment/, /commented: Blocked the sender at the gateway/);
    });

    test('an empty comment is refused inline', async () => {
      const response = await harness.driver.viewSubmission({
        callbackId: 'case_comment_modal',
        privateMetadata: JSON.stringify({ caseId: theCase.id }),
        values: { comment: { value: { type: 'plain_text_input', value: '  ' } } },
      });
      expect(JSON.parse(response.body)).toEqual({ response_action: 'errors', errors: { comment: 'A comment cannot be empty' } });
    });

    test('Edit opens a modal at once, fills it from the case, and saves title and description', async () => {
      await act('case_edit');
      const update = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.update')[0]);
      expect(textOf(update.args.view)).toContain('"initial_value":"Beacon to 203.0.113.7"');
      expect(harness.emulator.callsTo('views.open')[0]!.at).toBeLessThanOrEqual(update.at);
      harness.emulator.reset();
      await harness.driver.viewSubmission({
        callbackId: 'case_edit_modal',
        privateMetadata: JSON.stringify({ caseId: theCase.id }),
        values: {
          title: { value: { type: 'plain_text_input', value: 'C2 beacon from ws-114' } },
          description: { value: { type: 'plain_text_input', value: 'Seen by EDR at 02:10' } },
        },
      });
      await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update').length === 2);
      await settle(harness);
      const lines = harness.emulator.messagesIn('C0PUBLIC', { threadTs: theCase.card.ts }).map((m) => m.text);
      expect(lines).toEqual([expect.stringMatching(/renamed the case to “C2 beacon from ws-114”/), expect.stringMatching(/edited the description/)]);
    });

    test('an action on a case card in /case show (ephemeral) also refreshes that copy', async () => {
      const show = await harness.driver.command(`show ${theCase.number}`);
      await replyTo(harness, show.responseUrl);
      await harness.driver.blockAction({ actionId: 'case_severity', messageTs: '1111.2222', channelId: 'C0PUBLIC', type: 'static_select', blockId: `case:${theCase.id}`, action: selectOption('high') });
      const refreshed = await harness.emulator.waitFor(() => harness.emulator.responses.find((r) => r.replace_original));
      expect(textOf(refreshed.blocks)).toContain('High');
    });
  });

  test('subcommands change the case, the card and its thread', async () => {
    const theCase = await openCaseByCommand(harness, 'Ransom note on fs-02');
    const steps: [string, RegExp][] = [
      [`comment ${theCase.number} Isolated the host`, /comment added/],
      [`status ${theCase.number} in progress`, /status is in progress/],
      [`severity ${theCase.number} critical`, /severity is critical/],
      [`assign ${theCase.number} <@U0BOB|bob>`, /assignees updated/],
      [`unassign ${theCase.number} <@U0BOB|bob>`, /assignees updated/],
      [`tag ${theCase.number} #ransomware #fs`, /tags updated/],
      [`untag ${theCase.number} #fs`, /tags updated/],
      [`close ${theCase.number}`, /status is closed/],
      [`close ${theCase.number}`, /nothing to change/],
      [`reopen ${theCase.number}`, /status is open/],
    ];
    for (const [text, reply] of steps) expect((await runCommand(harness, text)).text).toMatch(reply);
    await settle(harness);
    expect(harness.emulator.messagesIn('C0PUBLIC', { threadTs: theCase.card.ts })).toHaveLength(9);
    const card = textOf((await runCommand(harness, `show ${theCase.number}`)).blocks);
    expect(card).toContain('*Tags*\\n`ransomware`"');
    expect(card).toContain('Critical');
  });

  test('the card says by when the case must be acknowledged and closed, for the targets still running', async () => {
    const theCase = await openCaseByCommand(harness, 'Beaconing from a build server sev:critical');
    const posted = textOf(theCase.card.blocks);
    const openedAt = Number(posted.match(/in <#C0PUBLIC> <!date\^(\d+)\^/)?.[1]);
    // Critical by default: acknowledge within 15 minutes, close within 4 hours, in Slack dates each reader sees in their zone.
    expect(posted).toContain(`*SLA* · Acknowledge by <!date^${openedAt + 15 * 60}^`);
    expect(posted).toContain(` · Close by <!date^${openedAt + 4 * 3600}^`);

    const lastCardEdit = () => textOf(harness.emulator.callsTo('chat.update').at(-1)?.args.blocks);
    await runCommand(harness, `assign ${theCase.number} <@U0BOB|bob>`);
    await settle(harness);
    expect(lastCardEdit()).toContain(`*SLA* · Close by <!date^${openedAt + 4 * 3600}^`);
    expect(lastCardEdit()).not.toContain('Acknowledge by');
    await runCommand(harness, `close ${theCase.number}`);
    await settle(harness);
    expect(lastCardEdit()).toContain(':white_check_mark: Closed');
    expect(lastCardEdit()).not.toContain('*SLA*');
  });

  test('App Home shows my open cases and the recently active ones, with New case', async () => {
    await openCaseByCommand(harness, 'Assigned to alice <@U0ALICE>');
    await openCaseByCommand(harness, 'Someone else’s');
    await harness.driver.event({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
    const published = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.publish')[0]);
    expect(published.args.user_id).toBe('U0ALICE');
    const home = textOf(published.args.view);
    expect(home).toContain('home_new_case');
    expect(home).toMatch(/Your open cases.*Assigned to alice.*Recently active.*Someone else.*Assigned to alice/);
    harness.emulator.reset();
    const firstCaseId = (published.args.view as { blocks: { accessory?: { value?: string } }[] }).blocks.find((block) => block.accessory?.value)?.accessory?.value;
    await harness.driver.blockAction({ actionId: 'home_view_case', value: firstCaseId });
    const detail = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.update')[0]);
    expect(textOf(detail.args.view)).toContain('Assigned to alice');
  });

  test('two concurrent status changes on one case: both recorded, final state consistent', async () => {
    const theCase = await openCaseByCommand(harness, 'Contended');
    await Promise.all([
      harness.driver.blockAction({ actionId: 'case_status', channelId: 'C0PUBLIC', messageTs: theCase.card.ts, type: 'static_select', action: selectOption('in-progress'), userId: 'U0ALICE' }),
      harness.driver.blockAction({ actionId: 'case_status', channelId: 'C0PUBLIC', messageTs: theCase.card.ts, type: 'static_select', action: selectOption('closed'), userId: 'U0BOB' }),
    ]);
    await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC', { threadTs: theCase.card.ts }).length === 2);
    await settle(harness);
    const history = textOf((await runCommand(harness, `show ${theCase.number}`)).blocks);
    expect(history).toMatch(/<@U0ALICE> set status to .*In progress/);
    expect(history).toMatch(/<@U0BOB> set status to .*Closed/);
    const finalStatus = /Status\*\\n:[a-z_]+: (In progress|Closed)/.exec(history)?.[1];
    const lastUpdate = harness.emulator.callsTo('chat.update').at(-1)!;
    expect(textOf(lastUpdate.args.blocks)).toContain(`: ${finalStatus}`);
  });
});

describe('Block Kit limits under stress', () => {
  test('200 tags, a 30,000-character description and 500 user actions still render within Slack’s limits', async () => {
    const harness = await Harness.start();
    try {
      const theCase = await openCaseByCommand(harness, `${'Long title '.repeat(14).trim()} sev:high`);
      // Seed the heavy case through the service the app uses, on the same database file.
      const { SqliteCaseStore } = await import('../../src/storage/sqlite/sqlite-store');
      const { CaseService } = await import('../../src/cases/service');
      const { VisibilityPolicy } = await import('../../src/cases/policy');
      const store = new SqliteCaseStore(harness.dataDir);
      await store.init();
      const service = new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, []), { owner: 'securitySolution' });
      const alice = { userId: 'U0ALICE', teamId: 'T0001' };
      const ref = { number: theCase.number };
      await service.changeTags(alice, ref, { add: Array.from({ length: 200 }, (_, i) => `tag-${i}-${'x'.repeat(200)}`) });
      await service.setDescription(alice, ref, '<@U0BOB> & <!channel> '.repeat(1400).slice(0, 30_000));
      for (let i = 0; i < 249; i += 1) {
        await service.setStatus(alice, ref, i % 2 ? 'open' : 'in-progress');
        await service.addComment(alice, ref, `update ${i} ${'detail '.repeat(40)}`);
      }
      expect(await store.listUserActions(theCase.id, { limit: 1000 })).toHaveLength(1 + 1 + 1 + 498);
      await store.close();
      const shown = await runCommand(harness, `show ${theCase.number}`);
      expect(shown.status).toBe(200);
      expect((shown.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      await runCommand(harness, `comment ${theCase.number} one more`);
      await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
      await harness.driver.event({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
      await harness.emulator.waitFor(() => harness.emulator.callsTo('views.publish')[0]);
      await runCommand(harness, 'list all');
      await settle(harness);
      expect(harness.emulator.blockKitViolations).toEqual([]);
      const everything = [...harness.emulator.calls.map((c) => c.args.blocks ?? (c.args.view as { blocks?: unknown })?.blocks), ...harness.emulator.responses.map((r) => r.blocks)];
      for (const blocks of everything.filter(Boolean) as { type: string; text?: { text: string } }[][]) {
        for (const block of blocks) if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      }
    } finally {
      await harness.stop();
    }
  });
});
