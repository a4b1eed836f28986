import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Harness } from '../support/harness';
import { SLACK_FIXTURES_DIR } from '../support/slack-emulator';
import { openCaseByCommand, runCommand, settle, textOf, useHarness } from './support';

/** A real message-shortcut payload's message object (fixtures/slack/payloads), placed in our workspace. */
function fixtureMessage(name: string): Record<string, unknown> {
  const payload = JSON.parse(fs.readFileSync(path.join(SLACK_FIXTURES_DIR, 'payloads', name), 'utf8')) as { message: Record<string, unknown> };
  return payload.message;
}

describe('Slack messages become case events', () => {
  const current = useHarness();
  let harness: Harness;

  beforeEach(() => {
    harness = current();
  });

  const modalOpened = (callbackId: string) =>
    harness.emulator.waitFor(() => harness.emulator.callsTo('views.open').find((call) => textOf(call.args.view).includes(callbackId)));

  /** Posts a message in the emulator as `user`, with the fields of a real payload's message merged in. */
  function postMessage(text: string, extra: Record<string, unknown> = {}, user = 'U0BOB') {
    const stored = harness.emulator.addMessage({ channel: 'C0PUBLIC', user, text, ...(extra.thread_ts ? { threadTs: String(extra.thread_ts) } : {}) });
    return { ...extra, ...stored, text };
  }

  /** Uses "Add to case" on a message and submits it for case `caseId`; returns the modal's view. */
  async function addToCase(message: { ts: string }, caseId: string, options: { viewId?: string; note?: string; userId?: string } = {}) {
    harness.emulator.reset();
    await harness.driver.messageShortcut({ callbackId: 'case_add_message', message, userId: options.userId });
    const call = await modalOpened('case_add_message_modal');
    const view = call.args.view as { private_metadata: string };
    await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.getPermalink')[0]);
    await settle(harness);
    const response = await harness.driver.viewSubmission({
      callbackId: 'case_add_message_modal',
      // Every modal Slack opens has its own view id.
      viewId: options.viewId ?? `V${randomUUID().slice(0, 10).toUpperCase()}`,
      userId: options.userId,
      privateMetadata: view.private_metadata,
      values: {
        case: { case_picker: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: caseId } } },
        note: { value: { type: 'plain_text_input', value: options.note ?? null } },
      },
    });
    await settle(harness);
    return response;
  }

  test('New case from message: the modal is prefilled from the (real, file-in-thread) message, and the case opens with it as its first event', async () => {
    const synthetic = fixtureMessage('message_action.file_share_in_thread.SYNTHETIC.json');
    const parent = postMessage('Phish wave today');
    const message = postMessage('Invoice lure from billing@evil-example[.]com\nlinks to hxxps://evil-example[.]com/pay', {
      files: synthetic.files,
      subtype: 'file_share',
      thread_ts: parent.ts,
    });
    await harness.driver.messageShortcut({ callbackId: 'case_from_message', message });
    const opened = await modalOpened('case_new_modal');
    const view = opened.args.view as { private_metadata: string; blocks: unknown[] };
    expect(textOf(view.blocks)).toContain('"initial_value":"Invoice lure from billing@evil-example[.]com"');
    expect(textOf(view.blocks)).toMatch(/From a Slack message by @U0BOB in #soc:\\nhttps:\/\/caseops-test\.slack\.com\/archives\/C0PUBLIC\/p\d+\?thread_ts=/);
    await harness.emulator.waitFor(() => harness.emulator.callsTo('users.info')[0]);
    await settle(harness);

    const submitted = await harness.driver.viewSubmission({
      callbackId: 'case_new_modal',
      privateMetadata: view.private_metadata,
      values: {
        title: { value: { type: 'plain_text_input', value: 'Invoice phish' } },
        severity: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' } } },
        description: { value: { type: 'plain_text_input', value: 'see message' } },
        tags: { value: { type: 'plain_text_input', value: null } },
        assignees: { value: { type: 'multi_users_select', selected_users: [] } },
      },
    });
    // The message's indicators are offered next, in place of the modal.
    const next = JSON.parse(submitted.body) as { response_action: string; view: { callback_id: string; blocks: unknown[] } };
    expect(next.response_action).toBe('update');
    expect(next.view.callback_id).toBe('case_indicators_modal');
    expect(textOf(next.view.blocks)).toContain('billing@evil-example.com (email)');
    expect(textOf(next.view.blocks)).toContain('https://evil-example.com/pay (url)');

    const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC').find((m) => m.text?.startsWith('Case #1')));
    expect(textOf(card.blocks)).toContain('1 event');
    const events = await runCommand(harness, 'events 1');
    expect(textOf(events.blocks)).toContain('Invoice lure from billing@evil-example[.]com');
    expect(textOf(events.blocks)).toContain('1 file');
  });

  test('Add to case: the picker offers recent and assigned cases, then searches; attaching twice says "already attached"', async () => {
    const beacon = await openCaseByCommand(harness, 'Beacon from ws-114 <@U0ALICE>');
    await openCaseByCommand(harness, 'Unrelated outage');
    const message = postMessage('ws-114 talking to 203.0.113.7 every 60s');
    harness.emulator.reset();
    await harness.driver.messageShortcut({ callbackId: 'case_add_message', message });
    await modalOpened('case_add_message_modal');
    const openedViewId = findViewId(harness);
    const empty = await harness.driver.blockSuggestion({ actionId: 'case_picker', value: '', viewId: openedViewId });
    const groups = JSON.parse(empty.body) as { option_groups: { label: { text: string }; options: { text: { text: string }; value: string }[] }[] };
    expect(groups.option_groups.map((g) => g.label.text)).toEqual(['Assigned to you', 'Recently active']);
    expect(groups.option_groups[0]!.options.map((o) => o.text.text)).toEqual(['#1 Beacon from ws-114']);
    const searched = JSON.parse((await harness.driver.blockSuggestion({ actionId: 'case_picker', value: 'unrel', viewId: openedViewId })).body) as { options: { text: { text: string } }[] };
    expect(searched.options.map((o) => o.text.text)).toEqual(['#2 Unrelated outage']);
    const byNumber = JSON.parse((await harness.driver.blockSuggestion({ actionId: 'case_picker', value: '#1', viewId: openedViewId })).body) as { options: { value: string }[] };
    expect(byNumber.options.map((o) => o.value)).toEqual([beacon.id]);

    await addToCase(message, beacon.id, { note: 'C2 candidate' });
    expect(harness.emulator.responses.map((r) => r.text)).toEqual(['Attached to case #1.']);
    const update = await harness.emulator.waitFor(() => harness.emulator.callsTo('chat.update')[0]);
    expect(textOf(update.args.blocks)).toContain('1 event');

    await addToCase(message, beacon.id);
    expect(harness.emulator.responses.map((r) => r.text)).toEqual(['That message is already attached to case #1; nothing changed.']);
    expect(harness.emulator.callsTo('chat.update')).toEqual([]);
  });

  test('a modal submitted twice attaches the message once, silently the second time', async () => {
    const theCase = await openCaseByCommand(harness, 'Double tap');
    const message = postMessage('one message');
    harness.emulator.reset();
    await harness.driver.messageShortcut({ callbackId: 'case_add_message', message });
    const view = (await modalOpened('case_add_message_modal')).args.view as { private_metadata: string };
    await settle(harness);
    const submit = () =>
      harness.driver.viewSubmission({
        callbackId: 'case_add_message_modal',
        viewId: 'V0TWICE',
        privateMetadata: view.private_metadata,
        values: { case: { case_picker: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: theCase.id } } } },
      });
    await Promise.all([submit(), submit()]);
    await submit();
    await settle(harness);
    expect(harness.emulator.responses.map((r) => r.text)).toEqual(['Attached to case #1.']);
    expect(textOf((await runCommand(harness, 'show 1')).blocks)).toContain('1 event');
  });

  test('events are listed newest first, with View details showing the full snapshot', async () => {
    const theCase = await openCaseByCommand(harness, 'Timeline of messages');
    const texts = ['first sighting', 'second sighting', 'third sighting'];
    for (const text of texts) await addToCase(postMessage(text), theCase.id);
    const events = await runCommand(harness, 'events 1');
    const listed = textOf(events.blocks);
    expect(listed.indexOf('third sighting')).toBeLessThan(listed.indexOf('second sighting'));
    expect(listed.indexOf('second sighting')).toBeLessThan(listed.indexOf('first sighting'));
    const detailsValue = /"action_id":"event_details","text":\{[^}]*\},"value":"([^"]+)"/.exec(listed)?.[1];
    harness.emulator.reset();
    await harness.driver.blockAction({ actionId: 'event_details', value: detailsValue, messageTs: '1.2', channelId: 'C0PUBLIC' });
    const details = await harness.emulator.waitFor(() => harness.emulator.callsTo('views.update')[0]);
    const shown = textOf(details.args.view);
    expect(shown).toContain('third sighting');
    expect(shown).toContain('*Author:* <@U0BOB> (bob)');
    expect(shown).toContain('https://caseops-test.slack.com/archives/C0PUBLIC/p');
  });

  test('edits and deletions are applied once each, even when Slack delivers them three times', async () => {
    const theCase = await openCaseByCommand(harness, 'Edited evidence');
    const message = postMessage('host ws-114 is clean');
    await addToCase(message, theCase.id);
    const edit = {
      type: 'message',
      subtype: 'message_changed',
      channel: 'C0PUBLIC',
      hidden: true,
      ts: '1795900000.000100',
      message: { type: 'message', user: 'U0BOB', text: 'host ws-114 is NOT clean', ts: message.ts, edited: { user: 'U0BOB', ts: '1795900000.000100' } },
      previous_message: { type: 'message', user: 'U0BOB', text: 'host ws-114 is clean', ts: message.ts },
    };
    for (const retryNum of [undefined, 1, 2]) await harness.driver.event(edit, retryNum ? { retryNum, retryReason: 'http_timeout' } : {});
    await settle(harness);
    const deletion = { type: 'message', subtype: 'message_deleted', channel: 'C0PUBLIC', hidden: true, ts: '1795900001.000100', deleted_ts: message.ts, previous_message: { type: 'message', user: 'U0BOB', text: 'host ws-114 is NOT clean', ts: message.ts } };
    await Promise.all([harness.driver.event(deletion), harness.driver.event(deletion, { retryNum: 1, retryReason: 'http_timeout' }), harness.driver.event(deletion, { retryNum: 2, retryReason: 'http_timeout' })]);
    await settle(harness);

    const shown = textOf((await runCommand(harness, 'show 1')).blocks);
    expect(shown.match(/attached a Slack message/g)).toHaveLength(1);
    expect(shown.match(/updated an attached message/g)).toHaveLength(2); // the edit and the deletion, once each
    const events = textOf((await runCommand(harness, 'events 1')).blocks);
    expect(events).toContain('host ws-114 is NOT clean');
    expect(events).toContain('deleted in Slack');
  });

  test('indicators: confirmed from the message, and added by hand; alerts and Timeline links', async () => {
    const theCase = await openCaseByCommand(harness, 'IOC case');
    const message = postMessage('C2 at 198.51.100.23 and hxxp://bad-domain[.]example/x, internal 10.0.0.5');
    const submitted = await addToCase(message, theCase.id);
    const next = JSON.parse(submitted.body) as { view: { private_metadata: string; blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] } };
    const offered = textOf(next.view.blocks);
    expect(offered).toContain('198.51.100.23 (ipv4)');
    expect(offered).not.toContain('10.0.0.5');
    const group = next.view.blocks.find((block) => block.block_id === 'indicators_0')!;
    const ticked = group.element!.options!.filter((_, index) => index !== 1);
    await harness.driver.viewSubmission({
      callbackId: 'case_indicators_modal',
      privateMetadata: next.view.private_metadata,
      values: {
        indicators_0: { value: { type: 'checkboxes', selected_options: ticked } },
        more_indicators: { value: { type: 'plain_text_input', value: 'd41d8cd98f00b204e9800998ecf8427e' } },
      },
    });
    await settle(harness);
    const bad = await harness.driver.viewSubmission({
      callbackId: 'case_indicators_modal',
      privateMetadata: next.view.private_metadata,
      values: { more_indicators: { value: { type: 'plain_text_input', value: 'not an indicator' } } },
    });
    expect(JSON.parse(bad.body)).toMatchObject({ response_action: 'errors', errors: { more_indicators: expect.stringContaining('not an indicator') } });

    expect((await runCommand(harness, 'indicator 1 evil[.]example domain')).text).toMatch(/indicator evil\.example \(domain\) added/);
    expect((await runCommand(harness, 'indicator 1 evil[.]example ipv4')).text).toMatch(/looks like domain, not ipv4/);
    expect((await runCommand(harness, 'alert 1 6b8c0f3e-alert')).text).toMatch(/alert attached/);
    expect((await runCommand(harness, 'alert 1 6b8c0f3e-alert')).text).toMatch(/already attached/);
    expect((await runCommand(harness, "timeline 1 https://kibana.example.com/app/security/timelines?timeline=(id:'tl-1',isOpen:!t) Beacon timeline")).text).toMatch(/Timeline link added/);
    expect((await runCommand(harness, 'timeline 1 tl-2')).text).toMatch(/needs KIBANA_URL/);
    const card = textOf((await runCommand(harness, 'show 1')).blocks);
    expect(card).toContain('1 event · 1 alert · 4 indicators');
  });

  test('visibility: the picker never offers, and attach never reaches, a case the user cannot see', async () => {
    harness.emulator.addChannel({ id: 'G0SECRET', name: 'ir-secret', isPrivate: true, members: ['U0ALICE'] });
    const secret = await openCaseByCommand(harness, 'Secret insider case', { userId: 'U0ALICE', channelId: 'G0SECRET' });
    await openCaseByCommand(harness, 'Public case');
    const message = postMessage('bob posts something');
    harness.emulator.reset();
    await harness.driver.messageShortcut({ callbackId: 'case_add_message', message, userId: 'U0BOB' });
    await modalOpened('case_add_message_modal');
    const viewId = findViewId(harness);
    for (const value of ['', 'secret', 'insider', String(secret.number), `#${secret.number}`]) {
      const body = (await harness.driver.blockSuggestion({ actionId: 'case_picker', value, viewId, userId: 'U0BOB' })).body;
      expect(body).not.toContain('Secret');
      expect(body).not.toContain(secret.id);
    }
    await addToCase(message, secret.id, { userId: 'U0BOB' });
    expect(harness.emulator.responses.map((r) => r.text)).toEqual([expect.stringContaining('That case does not exist.')]);
    expect(textOf((await runCommand(harness, `show ${secret.number}`, { userId: 'U0ALICE' })).blocks)).toContain('0 events');
  });
});

/** The id of the newest modal the app opened. */
function findViewId(harness: Harness): string {
  const id = harness.emulator.latestModalId();
  if (!id) throw new Error('no modal is open');
  return id;
}
