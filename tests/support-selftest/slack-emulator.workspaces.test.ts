import type { WebClient } from '@slack/web-api';
import type { EmulatedWorkspace, SlackEmulator } from '../support/slack-emulator';
import { TOKEN, useEmulator, webClient } from './helpers';

const SECOND_TOKEN = 'xoxb-selftest-second-workspace';

const shared = useEmulator();
let emulator: SlackEmulator;
let client: WebClient;
let second: EmulatedWorkspace;
let secondClient: WebClient;

beforeAll(() => {
  ({ emulator } = shared.current());
  second = emulator.addWorkspace({ teamId: 'T0002', name: 'Second Org', domain: 'second-org', botToken: SECOND_TOKEN });
  second.addUser({ id: 'U2DAVE', name: 'dave', realName: 'Dave Defender' });
  second.addChannel({ id: 'C2SOC', name: 'soc', members: ['U2DAVE'] });
});
beforeEach(() => {
  ({ emulator, client } = shared.current());
  secondClient = webClient(emulator, {}, SECOND_TOKEN);
});

describe('several workspaces', () => {
  it('gives each workspace its own bot user and bot, under the one app', () => {
    expect(second).toMatchObject({ teamId: 'T0002', teamName: 'Second Org', teamDomain: 'second-org', appId: emulator.appId });
    expect(second.botUserId).toMatch(/^U[0-9A-Z]+$/);
    expect(second.botId).toMatch(/^B[0-9A-Z]+$/);
    expect(second.botUserId).not.toBe(emulator.botUserId);
    expect(second.botId).not.toBe(emulator.botId);
    expect(second.getUser(second.botUserId)).toMatchObject({ isBot: true });
    expect(second.getUser('U0ALICE')).toBeUndefined();
  });

  it('finds workspaces by team id, the emulator being the first', () => {
    expect(emulator.workspace('T0001')).toBe(emulator);
    expect(emulator.workspace('T0002')).toBe(second);
    expect(() => emulator.workspace('T0404')).toThrow(/no workspace T0404/);
    expect(() => emulator.addWorkspace({ teamId: 'T0002' })).toThrow(/exists already/);
  });

  it('routes each call by its token: auth.test answers for the workspace the token belongs to', async () => {
    await expect(secondClient.auth.test()).resolves.toMatchObject({
      ok: true,
      url: 'https://second-org.slack.com/',
      team: 'Second Org',
      team_id: 'T0002',
      user_id: second.botUserId,
      bot_id: second.botId,
      is_enterprise_install: false,
    });
    await expect(client.auth.test()).resolves.toMatchObject({ team_id: 'T0001', user_id: emulator.botUserId });
    expect(emulator.callsTo('auth.test').map((call) => call.teamId)).toEqual(['T0002', 'T0001']);
  });

  it("keeps each workspace's conversations to itself", async () => {
    await expect(client.chat.postMessage({ channel: 'C2SOC', text: 'wrong workspace' })).rejects.toMatchObject({
      data: { ok: false, error: 'channel_not_found' },
    });
    await expect(client.conversations.info({ channel: 'C2SOC' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    const posted = await secondClient.chat.postMessage({ channel: '#soc', text: 'hello T0002' });
    expect(posted.channel).toBe('C2SOC');
    expect(second.messagesIn('C2SOC')).toEqual([expect.objectContaining({ text: 'hello T0002', user: second.botUserId, team: 'T0002' })]);
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([]);
    await expect(secondClient.users.info({ user: 'U0ALICE' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    await expect(secondClient.users.info({ user: 'U2DAVE' })).resolves.toMatchObject({ user: { id: 'U2DAVE', team_id: 'T0002' } });
  });

  it('mints ids unique across the whole emulator', async () => {
    const created = await Promise.all([
      client.conversations.create({ name: 'incident-one' }),
      secondClient.conversations.create({ name: 'incident-one' }),
    ]);
    const [first, other] = created.map((answer) => answer.channel?.id);
    expect(first).not.toBe(other);
    expect(emulator.getChannel(first as string)).toBeDefined();
    expect(second.getChannel(other as string)).toBeDefined();
    expect(second.getChannel(first as string)).toBeUndefined();
  });

  it('opens views only with trigger ids of the same workspace, and keeps the views there', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Case' }, blocks: [] };
    await expect(client.views.open({ trigger_id: second.mintTriggerId({ userId: 'U2DAVE' }), view })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    const opened = await secondClient.views.open({ trigger_id: second.mintTriggerId({ userId: 'U2DAVE' }), view });
    expect(opened.view).toMatchObject({ team_id: 'T0002', bot_id: second.botId, app_installed_team_id: 'T0002' });
    expect(second.latestModalId()).toBe(opened.view?.id);
    expect(emulator.getView(opened.view?.id as string)).toBeUndefined();
  });

  it("posts through a response URL into its own workspace's channel", async () => {
    const url = second.mintResponseUrl({ channelId: 'C2SOC', userId: 'U2DAVE' });
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ response_type: 'in_channel', text: 'from T0002' }) });
    expect(response.status).toBe(200);
    expect(second.responses).toEqual([expect.objectContaining({ text: 'from T0002', status: 200 })]);
    expect(emulator.responses).toEqual([]);
    expect(second.messagesIn('C2SOC')).toEqual([expect.objectContaining({ text: 'from T0002', user: second.botUserId })]);
  });

  it("serves a workspace's files to its own bot token only", async () => {
    const file = second.addUserFile({ name: 'ioc.txt', mimetype: 'text/plain', bytes: Buffer.from('1.2.3.4'), channel: 'C2SOC', user: 'U2DAVE' });
    expect(file.url_private).toBe(`${emulator.url}/files-pri/T0002-${file.id as string}/ioc.txt`);
    const download = (token: string) => fetch(file.url_private as string, { headers: { authorization: `Bearer ${token}` } });
    expect((await download(TOKEN)).status).toBe(403);
    const allowed = await download(SECOND_TOKEN);
    expect({ status: allowed.status, body: await allowed.text() }).toEqual({ status: 200, body: '1.2.3.4' });

    await secondClient.filesUploadV2({ content: 'report', filename: 'report.txt', channel_id: 'C2SOC' });
    expect(second.uploads).toEqual([expect.objectContaining({ filename: 'report.txt', channelId: 'C2SOC' })]);
    expect(emulator.uploads).toEqual([]);
  });

  it('resets the recordings of every workspace, and moves every clock with advanceTime', async () => {
    await secondClient.chat.postEphemeral({ channel: 'C2SOC', user: 'U2DAVE', text: 'only you' });
    expect(second.ephemeralMessages).toHaveLength(1);
    emulator.reset();
    expect(second.ephemeralMessages).toEqual([]);
    expect(emulator.calls).toEqual([]);

    const trigger = second.mintTriggerId();
    emulator.advanceTime(3_001);
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Late' }, blocks: [] };
    await expect(secondClient.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
  });
});
