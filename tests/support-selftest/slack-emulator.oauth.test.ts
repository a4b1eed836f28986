import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Installation, InstallProvider } from '@slack/oauth';
import type { EmulatedWorkspace, Installer, SlackEmulator } from '../support/slack-emulator';
import { TOKEN, postForm, silentLogger, useEmulator, webClient } from './helpers';

const CLIENT = { clientId: '1111.2222', clientSecret: 'selftest-client-secret' };
const ROTATING = { clientId: '3333.4444', clientSecret: 'selftest-rotating-secret', tokenRotation: true, tokenLifetimeSeconds: 600 };
const REDIRECT = 'https://caseops.example/slack/oauth_redirect';
const CLIENT_FORM = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
const ROTATING_FORM = { client_id: ROTATING.clientId, client_secret: ROTATING.clientSecret };
/** The app as Bolt's InstallProvider runs it below: rotating tokens that live ten minutes. */
const BOLT_APP = { clientId: '5555.6666', clientSecret: 'selftest-bolt-secret', tokenRotation: true, tokenLifetimeSeconds: 600 };

const shared = useEmulator();
let emulator: SlackEmulator;
let second: EmulatedWorkspace;
let third: EmulatedWorkspace;

beforeAll(() => {
  ({ emulator } = shared.current());
  second = emulator.addWorkspace({ teamId: 'T0002', name: 'Second Org' });
  second.addUser({ id: 'U2DAVE', name: 'dave' });
  second.addChannel({ id: 'C2SOC', name: 'soc', members: ['U2DAVE'] });
  third = emulator.addWorkspace({ teamId: 'T0003' });
  third.addUser({ id: 'U3ERIN', name: 'erin' });
  emulator.registerOAuthApp({ ...CLIENT, redirectUrls: [REDIRECT] });
  emulator.registerOAuthApp(ROTATING);
});
beforeEach(() => ({ emulator } = shared.current()));

/** The authorize URL an app's install page sends the browser to, as Bolt's InstallProvider builds it. */
function authorizeUrl(params: Record<string, string> = {}): string {
  const query = { client_id: CLIENT.clientId, scope: 'commands,chat:write', state: 'state-123', redirect_uri: REDIRECT, ...params };
  return `https://slack.com/oauth/v2/authorize?${new URLSearchParams(query).toString()}`;
}

/** Plays the browser: Allow on the authorize page, and the code from the redirect back to the app. */
function codeFrom(url: string = authorizeUrl(), installer: Installer = { teamId: 'T0002', userId: 'U2DAVE' }): string {
  return new URL(emulator.approveInstall(url, installer)).searchParams.get('code') ?? '';
}

const access = (form: Record<string, string>, headers: Record<string, string> = {}) => postForm(emulator, 'oauth.v2.access', form, headers);
const exchange = (code: string, extra: Record<string, string> = {}) =>
  access({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code, redirect_uri: REDIRECT, ...extra });

describe("Slack's authorize page", () => {
  it('redirects back to the redirect_uri with a code and the state when the user allows', () => {
    const back = new URL(emulator.approveInstall(authorizeUrl(), { teamId: 'T0002', userId: 'U2DAVE' }));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('code')).toMatch(/^\d+\.\d+\.[0-9a-f]{64}$/);
  });

  it('redirects back with error=access_denied when the user cancels', () => {
    const back = new URL(emulator.denyInstall(authorizeUrl()));
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'state-123' });
  });

  it('uses the app’s Redirect URL when the authorize URL names none', () => {
    const back = emulator.approveInstall(authorizeUrl({ redirect_uri: '' }).replace('&redirect_uri=', ''), { teamId: 'T0002', userId: 'U2DAVE' });
    expect(back.startsWith(`${REDIRECT}?code=`)).toBe(true);
  });

  it.each([
    ['an unknown client_id', { client_id: '9999.0000' }, /unknown client_id/],
    ['no scope', { scope: '' }, /no bot scopes/],
    ['no state', { state: '' }, /no state/],
    ['a redirect_uri the app did not configure', { redirect_uri: 'https://evil.example/cb' }, /not one of the app's Redirect URLs/],
  ])('refuses an authorize URL with %s', (_, params, problem) => {
    expect(() => emulator.approveInstall(authorizeUrl(params), { teamId: 'T0002', userId: 'U2DAVE' })).toThrow(problem);
  });

  it('refuses an installer who is not a member of the workspace', () => {
    expect(() => emulator.approveInstall(authorizeUrl(), { teamId: 'T0002', userId: 'U0ALICE' })).toThrow(/no user U0ALICE in T0002/);
  });

  it('answers GET /oauth/v2/authorize with a 302 for the user signed in', async () => {
    const url = authorizeUrl().replace('https://slack.com', emulator.url);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
    emulator.signInAs({ teamId: 'T0002', userId: 'U2DAVE' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${REDIRECT}\\?code=[\\d.]+[0-9a-f]+&state=state-123$`));
  });
});

describe('oauth.v2.access', () => {
  it("exchanges a code for the workspace's bot token, in Slack's shape for a bot install", async () => {
    const answer = await exchange(codeFrom());
    expect(answer).toEqual({
      ok: true,
      access_token: expect.stringMatching(/^xoxb-\d+-\d+-[\w-]+$/),
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: second.botUserId,
      app_id: emulator.appId,
      team: { id: 'T0002', name: 'Second Org' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U2DAVE' },
    });
    const bot = webClient(emulator, {}, answer.access_token as string);
    await expect(bot.auth.test()).resolves.toMatchObject({
      team_id: 'T0002',
      user_id: second.botUserId,
      bot_id: second.botId,
      is_enterprise_install: false,
    });
    await expect(bot.chat.postMessage({ channel: 'C2SOC', text: 'installed' })).resolves.toMatchObject({ channel: 'C2SOC' });
    await expect(bot.chat.postMessage({ channel: 'C0PUBLIC', text: 'not mine' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(emulator.callsTo('chat.postMessage').map((call) => call.teamId)).toEqual(['T0002', 'T0002']);
  });

  it('takes the client credentials by HTTP Basic too', async () => {
    const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
    await expect(access({ code: codeFrom(), redirect_uri: REDIRECT }, { authorization: basic })).resolves.toMatchObject({ ok: true });
    const wrong = `Basic ${Buffer.from(`${CLIENT.clientId}:nope`).toString('base64')}`;
    await expect(access({ code: codeFrom(), redirect_uri: REDIRECT }, { authorization: wrong })).resolves.toEqual({ ok: false, error: 'bad_client_secret' });
  });

  it('refuses unknown clients and wrong secrets', async () => {
    const code = codeFrom();
    await expect(exchange(code, { client_id: '9999.0000' })).resolves.toEqual({ ok: false, error: 'invalid_client_id' });
    await expect(access({ code })).resolves.toEqual({ ok: false, error: 'invalid_client_id' });
    await expect(exchange(code, { client_secret: 'nope' })).resolves.toEqual({ ok: false, error: 'bad_client_secret' });
    await expect(exchange(code)).resolves.toMatchObject({ ok: true });
  });

  it('takes each code once, within ten minutes, for the app it was issued to', async () => {
    const code = codeFrom();
    await expect(exchange(code)).resolves.toMatchObject({ ok: true });
    await expect(exchange(code)).resolves.toEqual({ ok: false, error: 'invalid_code' });
    await expect(exchange('1.2.nonsense')).resolves.toEqual({ ok: false, error: 'invalid_code' });
    await expect(exchange('')).resolves.toEqual({ ok: false, error: 'invalid_code' });
    const late = codeFrom();
    emulator.advanceTime(10 * 60_000 + 1);
    await expect(exchange(late)).resolves.toEqual({ ok: false, error: 'invalid_code' });
    const otherApp = codeFrom(authorizeUrl({ client_id: ROTATING.clientId, redirect_uri: REDIRECT }));
    await expect(exchange(otherApp)).resolves.toEqual({ ok: false, error: 'invalid_code' });
  });

  it('wants the redirect_uri of the authorize URL repeated when it had one', async () => {
    const code = codeFrom();
    await expect(exchange(code, { redirect_uri: 'https://caseops.example/other' })).resolves.toEqual({ ok: false, error: 'bad_redirect_uri' });
    await expect(access({ ...CLIENT_FORM, code })).resolves.toEqual({ ok: false, error: 'bad_redirect_uri' });
    await expect(exchange(code)).resolves.toMatchObject({ ok: true });
    const withoutRedirect = codeFrom(authorizeUrl().replace(`&redirect_uri=${encodeURIComponent(REDIRECT)}`, ''));
    await expect(access({ ...CLIENT_FORM, code: withoutRedirect })).resolves.toMatchObject({ ok: true });
  });

  it('answers invalid_grant_type for a grant type it does not have', async () => {
    await expect(exchange(codeFrom(), { grant_type: 'password' })).resolves.toEqual({ ok: false, error: 'invalid_grant_type' });
  });

  it('answers invalid_refresh_token when the app has no token rotation', async () => {
    const answer = await exchange(codeFrom());
    expect(answer).not.toHaveProperty('refresh_token');
    expect(answer).not.toHaveProperty('expires_in');
    await expect(access({ ...CLIENT_FORM, grant_type: 'refresh_token', refresh_token: 'xoxe-1-unknown' })).resolves.toEqual({
      ok: false,
      error: 'invalid_refresh_token',
    });
  });
});

describe('token rotation', () => {
  async function installRotating(): Promise<Record<string, unknown>> {
    const code = codeFrom(authorizeUrl({ client_id: ROTATING.clientId }), { teamId: 'T0003', userId: 'U3ERIN' });
    return access({ ...ROTATING_FORM, code, redirect_uri: REDIRECT });
  }

  it('answers an expiring xoxe.xoxb- token and a xoxe- refresh token', async () => {
    await expect(installRotating()).resolves.toMatchObject({
      ok: true,
      access_token: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 600,
      token_type: 'bot',
      bot_user_id: third.botUserId,
      team: { id: 'T0003', name: 'Workspace T0003' },
    });
  });

  it('stops the access token after its lifetime with token_expired', async () => {
    const installed = await installRotating();
    const bot = webClient(emulator, {}, installed.access_token as string);
    emulator.advanceTime(599_000);
    await expect(bot.auth.test()).resolves.toMatchObject({ team_id: 'T0003' });
    emulator.advanceTime(1_000);
    await expect(bot.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'token_expired' } });
  });

  it('refreshes into a new pair and revokes the refresh token it used', async () => {
    const installed = await installRotating();
    emulator.advanceTime(600_000);
    const refresh = { ...ROTATING_FORM, grant_type: 'refresh_token', refresh_token: installed.refresh_token as string };
    const refreshed = await access(refresh);
    expect(refreshed).toEqual({
      ok: true,
      access_token: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 600,
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: third.botUserId,
      app_id: emulator.appId,
      team: { id: 'T0003', name: 'Workspace T0003' },
      enterprise: null,
      is_enterprise_install: false,
    });
    expect(refreshed.access_token).not.toBe(installed.access_token);
    expect(refreshed.refresh_token).not.toBe(installed.refresh_token);
    await expect(webClient(emulator, {}, refreshed.access_token as string).auth.test()).resolves.toMatchObject({ team_id: 'T0003' });
    await expect(access(refresh)).resolves.toEqual({ ok: false, error: 'invalid_refresh_token' });
    await expect(access({ ...refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret })).resolves.toEqual({
      ok: false,
      error: 'invalid_refresh_token',
    });
  });
});

describe('uninstall', () => {
  it('revokes every token of the workspace and only of that workspace', async () => {
    const fourth = emulator.addWorkspace({ teamId: 'T0004', botToken: 'xoxb-selftest-fourth' });
    fourth.addUser({ id: 'U4FAY', name: 'fay' });
    const rotating = await access({
      ...ROTATING_FORM,
      code: codeFrom(authorizeUrl({ client_id: ROTATING.clientId }), { teamId: 'T0004', userId: 'U4FAY' }),
      redirect_uri: REDIRECT,
    });
    expect(emulator.uninstall('T0004')).toBeUndefined();
    for (const token of ['xoxb-selftest-fourth', rotating.access_token as string]) {
      await expect(webClient(emulator, {}, token).auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'token_revoked' } });
    }
    const refresh = { ...ROTATING_FORM, grant_type: 'refresh_token', refresh_token: rotating.refresh_token as string };
    await expect(access(refresh)).resolves.toEqual({ ok: false, error: 'invalid_refresh_token' });
    await expect(webClient(emulator, {}, TOKEN).auth.test()).resolves.toMatchObject({ team_id: 'T0001' });
    expect(() => emulator.uninstall('T0404')).toThrow(/no workspace or org T0404/);
  });
});

describe('an Enterprise Grid org installed org-wide', () => {
  let orgToken: string;
  let rotatingOrg: { access_token: string; refresh_token: string };

  beforeAll(async () => {
    const org = { enterpriseId: 'E0GRID', enterpriseName: 'Grid Corp' };
    const east = emulator.addWorkspace({ teamId: 'T0E01', ...org });
    east.addUser({ id: 'W0OLGA', name: 'olga' });
    east.addChannel({ id: 'C0EAST', name: 'east', members: ['W0OLGA'] });
    const west = emulator.addWorkspace({ teamId: 'T0E02', ...org });
    west.addUser({ id: 'W0WES', name: 'wes' });
    west.addChannel({ id: 'C0WEST', name: 'west', members: ['W0WES'] });
    const answer = await exchange(codeFrom(authorizeUrl(), { teamId: 'T0E01', userId: 'W0OLGA', orgWide: true }));
    orgToken = answer.access_token as string;
    rotatingOrg = (await access({
      ...ROTATING_FORM,
      code: codeFrom(authorizeUrl({ client_id: ROTATING.clientId }), { teamId: 'T0E01', userId: 'W0OLGA', orgWide: true }),
      redirect_uri: REDIRECT,
    })) as typeof rotatingOrg;
  });

  it('answers the exchange with the org and no team, as Slack answers an org-wide install', async () => {
    const answer = await exchange(codeFrom(authorizeUrl(), { teamId: 'T0E02', userId: 'W0WES', orgWide: true }));
    expect(answer).toMatchObject({ ok: true, team: null, enterprise: { id: 'E0GRID', name: 'Grid Corp' }, is_enterprise_install: true, authed_user: { id: 'W0WES' } });
    // One bot user acts in every workspace of the org.
    expect(answer.bot_user_id).toBe(emulator.workspace('T0E01').botUserId);
    expect(emulator.workspace('T0E02').botUserId).toBe(emulator.workspace('T0E01').botUserId);
  });

  it('refuses an org-wide install from a workspace on no org', () => {
    expect(() => codeFrom(authorizeUrl(), { teamId: 'T0002', userId: 'U2DAVE', orgWide: true })).toThrow(/on no Enterprise Grid org/);
  });

  it('acts with the org token in the workspace its team_id names, else where the channel it names is', async () => {
    const client = webClient(emulator, {}, orgToken);
    await client.chat.postMessage({ channel: 'C0WEST', text: 'to the west' });
    await client.conversations.create({ name: 'made-in-east', team_id: 'T0E01' });
    expect(emulator.workspace('T0E02').messagesIn('C0WEST').map((message) => message.text)).toEqual(['to the west']);
    expect(emulator.workspace('T0E01').channelNamed('made-in-east')).toBeDefined();
    expect(emulator.workspace('T0E02').channelNamed('made-in-east')).toBeUndefined();
    expect(emulator.calls.slice(-2).map((call) => call.teamId)).toEqual(['T0E02', 'T0E01']);
  });

  it('answers missing_argument to a call that names no workspace of the org, and auth.test for the org', async () => {
    const client = webClient(emulator, {}, orgToken);
    await expect(client.conversations.create({ name: 'where-am-i' })).rejects.toMatchObject({ data: { ok: false, error: 'missing_argument' } });
    await expect(client.auth.test()).resolves.toMatchObject({ team_id: 'E0GRID', enterprise_id: 'E0GRID', is_enterprise_install: true, user_id: emulator.workspace('T0E01').botUserId });
  });

  it('lets a workspace of the org say the org-wide install in what it sends, until the org uninstalls', async () => {
    expect(emulator.workspace('T0E01').isOrgWideInstalled()).toBe(true);
    expect(emulator.workspace('T0002').isOrgWideInstalled()).toBe(false);
    emulator.uninstall('E0GRID');
    expect(emulator.workspace('T0E02').isOrgWideInstalled()).toBe(false);
    await expect(webClient(emulator, {}, orgToken).auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'token_revoked' } });
    const refresh = { ...ROTATING_FORM, grant_type: 'refresh_token', refresh_token: rotatingOrg.refresh_token };
    await expect(access(refresh)).resolves.toEqual({ ok: false, error: 'invalid_refresh_token' });
  });
});

describe("with Bolt's own InstallProvider", () => {
  const installations: Installation[] = [];
  let server: http.Server;
  let appUrl: string;
  let installer: InstallProvider;

  beforeAll(async () => {
    installer = new InstallProvider({
      clientId: BOLT_APP.clientId,
      clientSecret: BOLT_APP.clientSecret,
      stateSecret: 'selftest-state-secret',
      directInstall: true,
      authorizationUrl: `${emulator.url}/oauth/v2/authorize`,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      logger: silentLogger,
      installationStore: {
        storeInstallation: async (installation) => void installations.push(installation),
        fetchInstallation: async (query) => {
          const found = [...installations].reverse().find((installation) => installation.team?.id === query.teamId);
          if (!found) throw new Error(`no installation for ${query.teamId}`);
          return found;
        },
      },
    });
    server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://app').pathname;
      if (path === '/slack/install') void installer.handleInstallPath(req, res, {}, { scopes: ['commands', 'chat:write'], redirectUri: `${appUrl}/slack/oauth_redirect` });
      else void installer.handleCallback(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator.registerOAuthApp({ ...BOLT_APP, redirectUrls: [`${appUrl}/slack/oauth_redirect`] });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('installs into a second workspace end to end, and Bolt refreshes the expiring token', async () => {
    const install = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const authorize = install.headers.get('location') ?? '';
    expect(authorize.startsWith(`${emulator.url}/oauth/v2/authorize?`)).toBe(true);

    const back = emulator.approveInstall(authorize, { teamId: 'T0002', userId: 'U2DAVE' });
    const callback = await fetch(back, { headers: { cookie: (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '' } });
    expect(callback.status).toBe(200);
    expect(installations).toHaveLength(1);
    expect(installations[0]).toMatchObject({
      team: { id: 'T0002', name: 'Second Org' },
      appId: emulator.appId,
      isEnterpriseInstall: false,
      user: { id: 'U2DAVE' },
      bot: { userId: second.botUserId, id: second.botId, scopes: ['commands', 'chat:write'], refreshToken: expect.stringMatching(/^xoxe-1-/) },
    });

    // Tokens expiring within two hours are refreshed by authorize(); this one lives ten minutes.
    const installedToken = installations[0]?.bot?.token;
    const authorized = await installer.authorize({ teamId: 'T0002', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(emulator.callsTo('oauth.v2.access').map((call) => call.args.grant_type)).toEqual([undefined, 'refresh_token']);
    expect(authorized.botToken).not.toBe(installedToken);
    expect(installations).toHaveLength(2);
    await expect(webClient(emulator, {}, authorized.botToken ?? '').auth.test()).resolves.toMatchObject({ team_id: 'T0002' });
  });
});
