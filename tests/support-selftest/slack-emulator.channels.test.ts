import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../support/slack-emulator';
import { useEmulator } from './helpers';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
beforeEach(() => ({ emulator, client } = shared.current()));

const platformError = (error: string) => ({ code: 'slack_webapi_platform_error', data: expect.objectContaining({ ok: false, error }) });

describe('making and arranging channels', () => {
  it('conversations.create applies Slack\'s name rules, refuses a taken name, and obeys a workspace that restricts creation', async () => {
    await expect(client.conversations.create({ name: 'Case-1' })).rejects.toMatchObject(platformError('invalid_name_specials'));
    await expect(client.conversations.create({ name: 'a'.repeat(81) })).rejects.toMatchObject(platformError('invalid_name_maxlength'));
    await expect(client.conversations.create({ name: '--' })).rejects.toMatchObject(platformError('invalid_name_punctuation'));
    await expect(client.conversations.create({ name: 'soc' })).rejects.toMatchObject(platformError('name_taken'));
    const created = await client.conversations.create({ name: 'case-1-x', is_private: true });
    expect(created.channel).toMatchObject({ name: 'case-1-x', is_private: true, creator: emulator.botUserId });
    expect(emulator.getChannel(created.channel!.id!)).toMatchObject({ isPrivate: true, botIsMember: true, members: [] });
    emulator.channelAdmin.restrictChannelCreation = true;
    await expect(client.conversations.create({ name: 'case-2' })).rejects.toMatchObject(platformError('restricted_action'));
    emulator.channelAdmin.restrictChannelCreation = false;
  });

  it('conversations.invite: one bad user fails the call unless forced; topic and purpose at most 250 characters', async () => {
    const { channel } = await client.conversations.create({ name: 'case-3' });
    const id = channel!.id!;
    await expect(client.conversations.invite({ channel: id, users: 'U0ALICE,U0NOBODY' })).rejects.toMatchObject(platformError('user_not_found'));
    expect(emulator.getChannel(id)!.members).toEqual([]);
    await expect(client.conversations.invite({ channel: id, users: 'U0ALICE,U0NOBODY', force: true })).resolves.toMatchObject({ ok: true, errors: [{ user: 'U0NOBODY', error: 'user_not_found' }] });
    await expect(client.conversations.invite({ channel: id, users: 'U0ALICE' })).rejects.toMatchObject(platformError('already_in_channel'));
    await expect(client.conversations.invite({ channel: id, users: emulator.botUserId })).rejects.toMatchObject(platformError('cant_invite_self'));
    await expect(client.conversations.setTopic({ channel: id, topic: 'x'.repeat(251) })).rejects.toMatchObject(platformError('too_long'));
    await client.conversations.setTopic({ channel: id, topic: 'Case #3' });
    await client.conversations.setPurpose({ channel: id, purpose: 'War room' });
    expect(emulator.getChannel(id)).toMatchObject({ members: ['U0ALICE'], topic: 'Case #3', purpose: 'War room' });
  });

  it('bookmarks.add takes a link in a channel the bot is in; pins.add pins a message once', async () => {
    emulator.addChannel({ id: 'C0OUTSIDE', name: 'outside', botIsMember: false });
    await expect(client.bookmarks.add({ channel_id: 'C0OUTSIDE', title: 'x', type: 'link', link: 'https://example.com' })).rejects.toMatchObject(platformError('not_in_channel'));
    await expect(client.bookmarks.add({ channel_id: 'C0PUBLIC', title: 'x', type: 'link', link: 'not a link' })).rejects.toMatchObject(platformError('invalid_link'));
    await expect(client.bookmarks.add({ channel_id: 'C0PUBLIC', title: 'Case', type: 'link', link: 'https://example.com/case' })).resolves.toMatchObject({ bookmark: { title: 'Case', link: 'https://example.com/case', type: 'link' } });
    const posted = await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'card' });
    await expect(client.pins.add({ channel: 'C0PUBLIC', timestamp: '1.000001' })).rejects.toMatchObject(platformError('message_not_found'));
    await client.pins.add({ channel: 'C0PUBLIC', timestamp: posted.ts! });
    await expect(client.pins.add({ channel: 'C0PUBLIC', timestamp: posted.ts! })).rejects.toMatchObject(platformError('already_pinned'));
    expect(emulator.getChannel('C0PUBLIC')!.pins).toEqual([posted.ts]);
  });
});
