import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { section, useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (title = 'New case', extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  submit: plain('Create'),
  blocks: [{ type: 'input', block_id: 'title', label: plain('Title'), element: { type: 'plain_text_input', action_id: 'value' } }],
  ...extra,
});
const platformError = (error: string) => ({ data: expect.objectContaining({ ok: false, error }) });

describe('trigger ids', () => {
  it('exchanges a trigger id once', async () => {
    const triggerId = emulator.mintTriggerId({ userId: 'U0ALICE' });
    const opened = await client.views.open({ trigger_id: triggerId, view: modal() });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      hash: expect.any(String),
      type: 'modal',
      callback_id: '',
      root_view_id: opened.view?.id,
    });
    await expect(client.views.open({ trigger_id: triggerId, view: modal() })).rejects.toMatchObject(platformError('exchanged_trigger_id'));
  });

  it('rejects unknown trigger ids and ones older than 3 seconds', async () => {
    await expect(client.views.open({ trigger_id: '12345.98765.abcd2358fdea', view: modal() })).rejects.toMatchObject(platformError('invalid_trigger_id'));
    const stale = emulator.mintTriggerId();
    emulator.advanceTime(3001);
    await expect(client.views.open({ trigger_id: stale, view: modal() })).rejects.toMatchObject(platformError('expired_trigger_id'));
  });
});

describe('views', () => {
  it('updates by view_id or external_id, and answers hash_conflict for a stale hash', async () => {
    const opened = await client.views.open({ trigger_id: emulator.mintTriggerId(), view: modal('Step 1', { external_id: 'case-42' }) });
    const id = opened.view?.id as string;
    const byId = await client.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal('Step 2') });
    expect(byId.view).toMatchObject({ id, external_id: 'case-42', title: plain('Step 2') });
    expect(byId.view?.hash).not.toBe(opened.view?.hash);
    const stale = client.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal('Late') });
    await expect(stale).rejects.toMatchObject(platformError('hash_conflict'));
    await expect(client.views.update({ external_id: 'case-42', view: modal('Step 3') })).resolves.toMatchObject({ view: { id, title: plain('Step 3') } });
    await expect(client.views.update({ view_id: 'V000NOPE', view: modal() })).rejects.toMatchObject(platformError('not_found'));
  });

  it('stacks at most three views with views.push', async () => {
    const root = await client.views.open({ trigger_id: emulator.mintTriggerId(), view: modal('Root') });
    const second = await client.views.push({ trigger_id: emulator.mintTriggerId({ viewId: root.view?.id }), view: modal('Second') });
    expect(second.view).toMatchObject({ previous_view_id: root.view?.id, root_view_id: root.view?.id });
    const third = await client.views.push({ trigger_id: emulator.mintTriggerId({ viewId: second.view?.id }), view: modal('Third') });
    await expect(client.views.push({ trigger_id: emulator.mintTriggerId({ viewId: third.view?.id }), view: modal('Fourth') })).rejects.toMatchObject(
      platformError('push_limit_reached'),
    );
  });

  it('publishes Home tabs: a home view for a known user, one view per user', async () => {
    const home = { type: 'home' as const, blocks: [section('Open cases: 3')] };
    await expect(client.views.publish({ user_id: 'U0ALICE', view: modal() })).rejects.toMatchObject(platformError('invalid_arguments'));
    await expect(client.views.publish({ user_id: 'U0NOBODY', view: home })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] invalid `user_id`'] } },
    });
    const first = await client.views.publish({ user_id: 'U0ALICE', view: home });
    const again = await client.views.publish({ user_id: 'U0ALICE', view: home, hash: first.view?.hash as string });
    expect(again.view).toMatchObject({ id: first.view?.id, type: 'home' });
    const stale = client.views.publish({ user_id: 'U0ALICE', view: home, hash: first.view?.hash as string });
    await expect(stale).rejects.toMatchObject(platformError('hash_conflict'));
  });

  it('rejects views that break Block Kit limits with invalid_arguments', async () => {
    const error = 'must be less than 25 characters [json-pointer:/view/title/text]';
    await expect(client.views.open({ trigger_id: emulator.mintTriggerId(), view: modal('x'.repeat(25)) })).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${error}`] } },
    });
    expect(emulator.blockKitViolations).toEqual([expect.objectContaining({ source: 'views.open', surface: 'modal', errors: [error] })]);
  });
});
