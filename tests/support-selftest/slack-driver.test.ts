import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { App, isValidSlackRequest } from '@slack/bolt';
import Ajv from 'ajv';
import { SlackDriver, signSlackRequest } from '../support/slack-driver';
import { SLACK_FIXTURES_DIR, SlackEmulator } from '../support/slack-emulator';
import { TOKEN, section, silentLogger, webClient } from './helpers';

const SECRET = 'selftest-signing-secret';

/** Computed here with node:crypto, independently of the driver. */
const independentSignature = (timestamp: string, body: string) =>
  `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const SECOND_TOKEN = 'xoxb-selftest-second-workspace';

let emulator: SlackEmulator;

beforeAll(async () => {
  emulator = await SlackEmulator.start({ botToken: TOKEN });
  const second = emulator.addWorkspace({ teamId: 'T0002', botToken: SECOND_TOKEN });
  second.addUser({ id: 'U2DAVE', name: 'dave' });
  second.addChannel({ id: 'C2SOC', name: 'soc', members: ['U2DAVE'] });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  emulator.forgetMessages();
});

describe('signSlackRequest', () => {
  it("reproduces the worked example in Slack's 'Verifying requests from Slack'", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
      '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('requests on the wire', () => {
  const captured: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let server: http.Server;
  let appUrl: string;
  let driver: SlackDriver;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        captured.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    driver = new SlackDriver({ appUrl, signingSecret: SECRET, emulator });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    captured.length = 0;
  });

  const last = () => {
    const request = captured.at(-1);
    if (!request) throw new Error('nothing captured');
    return request;
  };

  it('signs a slash command like Slack: exact form content type, valid signature, fixture fields', async () => {
    const sent = await driver.command('new Phishing from HR', { userId: 'U0BOB' });
    const { headers, body } = last();
    const timestamp = headers['x-slack-request-timestamp'] as string;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(headers['x-slack-signature']).toBe(independentSignature(timestamp, body));
    expect(
      isValidSlackRequest({
        signingSecret: SECRET,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'] as string, 'x-slack-request-timestamp': Number(timestamp) },
      }),
    ).toBe(true);

    const form = Object.fromEntries(new URLSearchParams(body));
    expect(form).toMatchObject({
      team_id: 'T0001',
      team_domain: 'caseops-test',
      channel_id: 'C0PUBLIC',
      channel_name: 'soc',
      user_id: 'U0BOB',
      user_name: 'bob',
      command: '/case',
      text: 'new Phishing from HR',
      response_url: sent.responseUrl,
      trigger_id: sent.triggerId,
    });
    expect(form).not.toHaveProperty('enterprise_id');
    // Same field order as the real body Slack sends.
    const fixture = readFileSync(path.join(SLACK_FIXTURES_DIR, 'payloads/slash_command.bolt-python.form.txt'), 'utf8');
    const fixtureKeys = [...new URLSearchParams(fixture)].map(([key]) => key);
    expect(Object.keys(form).slice(0, 5)).toEqual(fixtureKeys.slice(0, 5));
    expect(sent).toMatchObject({ status: 200, body: 'ok', elapsedMs: expect.any(Number) });
  });

  it('sends interactivity as payload=<JSON> in a form', async () => {
    await driver.globalShortcut({ callbackId: 'open_cases' });
    const { headers, body } = last();
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '') as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'shortcut',
      callback_id: 'open_cases',
      team: { id: 'T0001', domain: 'caseops-test' },
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0001' },
      is_enterprise_install: false,
    });
  });

  it("sends events as JSON envelopes valid against Slack's schema, with retry headers", async () => {
    const mention = { type: 'app_mention', user: 'U0ALICE', text: 'hi', ts: '1732780000.000100', channel: 'C0PUBLIC' };
    await driver.event(mention, { retryNum: 2, retryReason: 'http_timeout' });
    const { headers, body } = last();
    expect(headers['content-type']).toBe('application/json');
    expect(headers).toMatchObject({ 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    const schema = JSON.parse(readFileSync(path.join(SLACK_FIXTURES_DIR, 'events/slack_common_event_wrapper_schema.json'), 'utf8')) as object;
    const validate = new Ajv().compile(schema);
    const envelope = JSON.parse(body) as Record<string, unknown>;
    expect(validate(envelope) ? [] : validate.errors).toEqual([]);
    expect(envelope).toMatchObject({ type: 'event_callback', team_id: 'T0001', event: { type: 'app_mention', event_ts: '1732780000.000100' } });
  });

  it('speaks for another workspace when given its handle: team, app, bot, users and minted ids are that workspace\'s', async () => {
    const other = emulator.workspace('T0002');
    const otherDriver = new SlackDriver({ appUrl, signingSecret: SECRET, emulator: other });
    const sent = await otherDriver.command('new', { userId: 'U2DAVE', channelId: 'C2SOC' });
    const form = Object.fromEntries(new URLSearchParams(last().body));
    expect(form).toMatchObject({ team_id: 'T0002', team_domain: 't0002', api_app_id: emulator.appId, user_name: 'dave', channel_name: 'soc' });
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Case' }, blocks: [] };
    await expect(webClient(emulator, {}, SECOND_TOKEN).views.open({ trigger_id: sent.triggerId, view })).resolves.toMatchObject({ ok: true });
    const response = await fetch(sent.responseUrl, { method: 'POST', body: JSON.stringify({ text: 'ok' }) });
    expect(response.status).toBe(200);
    expect(other.responses).toHaveLength(1);

    await otherDriver.globalShortcut({ callbackId: 'open_cases', userId: 'U2DAVE' });
    const payload = JSON.parse(new URLSearchParams(last().body).get('payload') ?? '') as Record<string, unknown>;
    expect(payload).toMatchObject({ team: { id: 'T0002', domain: 't0002' }, user: { id: 'U2DAVE', username: 'dave', team_id: 'T0002' } });
  });

  it("sends app_uninstalled and tokens_revoked as Slack's events reference shows them, in valid envelopes", async () => {
    const other = emulator.workspace('T0002');
    const otherDriver = new SlackDriver({ appUrl, signingSecret: SECRET, emulator: other });
    const schema = JSON.parse(readFileSync(path.join(SLACK_FIXTURES_DIR, 'events/slack_common_event_wrapper_schema.json'), 'utf8')) as object;
    const validate = new Ajv().compile(schema);

    await otherDriver.appUninstalled();
    const uninstalled = JSON.parse(last().body) as Record<string, unknown>;
    expect(validate(uninstalled) ? [] : validate.errors).toEqual([]);
    expect(uninstalled).toMatchObject({ type: 'event_callback', team_id: 'T0002', api_app_id: emulator.appId, event: { type: 'app_uninstalled' } });
    expect(uninstalled.event).toEqual({ type: 'app_uninstalled', event_ts: expect.any(String) });

    await otherDriver.tokensRevoked();
    const revoked = JSON.parse(last().body) as Record<string, unknown>;
    expect(validate(revoked) ? [] : validate.errors).toEqual([]);
    expect(revoked).toMatchObject({ team_id: 'T0002', event: { type: 'tokens_revoked', tokens: { bot: [other.botUserId] } } });
    await driver.tokensRevoked({ oauth: ['U0ALICE'] });
    expect(JSON.parse(last().body)).toMatchObject({ team_id: 'T0001', event: { tokens: { oauth: ['U0ALICE'] } } });
  });

  it('sends forged requests exactly as told', async () => {
    await driver.raw({ body: 'x=1', contentType: 'application/x-www-form-urlencoded; charset=utf-8', timestamp: null, signature: 'v0=forged' });
    expect(last().headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-slack-signature': 'v0=forged' });
    expect(last().headers).not.toHaveProperty('x-slack-request-timestamp');
    await driver.raw({ body: 'x=1', timestamp: 1000, signature: null });
    expect(last().headers).toMatchObject({ 'x-slack-request-timestamp': '1000' });
    expect(last().headers).not.toHaveProperty('x-slack-signature');
  });
});

describe('against a real Bolt app', () => {
  const received: Record<string, unknown> = {};
  let app: App;
  let driver: SlackDriver;

  beforeAll(async () => {
    app = new App({ token: TOKEN, signingSecret: SECRET, logger: silentLogger, clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } } });
    app.command('/case', async ({ ack, command, respond, client }) => {
      await ack('got it');
      received.command = command;
      const title = { type: 'plain_text' as const, text: 'New case' };
      await client.views.open({ trigger_id: command.trigger_id, view: { type: 'modal', title, blocks: [section('hello')] } });
      await respond({ text: 'created', response_type: 'in_channel' });
    });
    app.action('approve', async ({ ack, body, action }) => {
      await ack();
      received.action = { body, action };
    });
    app.view('create_case', async ({ ack, view }) => {
      await ack({ response_action: 'errors', errors: { title: 'too short' } });
      received.view = view;
    });
    app.shortcut('file_case', async ({ ack, shortcut }) => {
      await ack();
      received.shortcut = shortcut;
    });
    app.options('assignee', async ({ ack, options }) => {
      await ack({ options: [{ text: { type: 'plain_text', text: `match ${options.value}` }, value: 'U0ALICE' }] });
    });
    app.event('app_mention', async ({ event, context }) => {
      received.event = { event, retryNum: context.retryNum, retryReason: context.retryReason };
    });
    app.event('app_uninstalled', async ({ event, body }) => {
      received.uninstalled = { event, teamId: body.team_id };
    });
    const server = (await app.start(0)) as http.Server;
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    driver = new SlackDriver({ appUrl, signingSecret: SECRET, emulator });
  });
  afterAll(() => app.stop());

  it('routes a command; respond() and views.open reach the emulator', async () => {
    const sent = await driver.command('new', { channelId: 'C0PUBLIC' });
    expect({ status: sent.status, body: sent.body }).toEqual({ status: 200, body: 'got it' });
    await emulator.waitFor(() => emulator.responses.length === 1);
    expect(emulator.responses[0]).toMatchObject({ text: 'created', status: 200 });
    expect(emulator.messagesIn('C0PUBLIC')).toEqual([expect.objectContaining({ text: 'created' })]);
    expect(emulator.callsTo('views.open')).toHaveLength(1);
    expect(emulator.blockKitViolations).toEqual([]);
    expect(received.command).toMatchObject({ user_id: 'U0ALICE', trigger_id: sent.triggerId });
  });

  it('routes a button click on a stored message, with the block_id Slack assigned', async () => {
    const posted = await app.client.chat.postMessage({
      channel: 'C0PUBLIC',
      text: 'case',
      blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Approve' }, action_id: 'approve', value: 'case-1' }] }],
    });
    const sent = await driver.blockAction({ actionId: 'approve', value: 'case-1', messageTs: posted.ts });
    expect(sent.status).toBe(200);
    const { body, action } = received.action as { body: Record<string, unknown>; action: Record<string, unknown> };
    expect(action).toMatchObject({ action_id: 'approve', value: 'case-1', type: 'button', block_id: posted.message?.blocks?.[0]?.block_id });
    expect(body).toMatchObject({ container: { message_ts: posted.ts, channel_id: 'C0PUBLIC', is_ephemeral: false }, message: { ts: posted.ts } });
  });

  it('routes view submissions, shortcuts and options requests', async () => {
    const values = { title: { value: { type: 'plain_text_input', value: 'x' } } };
    const submitted = await driver.viewSubmission({ callbackId: 'create_case', values, privateMetadata: '{"channel":"C0PUBLIC"}' });
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { title: 'too short' } });
    expect(received.view).toMatchObject({ callback_id: 'create_case', private_metadata: '{"channel":"C0PUBLIC"}', state: { values } });

    const message = emulator.addMessage({ channel: 'C0PUBLIC', user: 'U0BOB', text: 'suspicious mail' });
    expect((await driver.messageShortcut({ callbackId: 'file_case', message })).status).toBe(200);
    expect(received.shortcut).toMatchObject({ type: 'message_action', message: { text: 'suspicious mail' }, channel: { id: 'C0PUBLIC', name: 'soc' } });

    const suggested = await driver.blockSuggestion({ actionId: 'assignee', value: 'ali' });
    expect(JSON.parse(suggested.body)).toEqual({ options: [{ text: { type: 'plain_text', text: 'match ali' }, value: 'U0ALICE' }] });
  });

  it('delivers events, with Slack retry headers reaching the context', async () => {
    const mention = { type: 'app_mention', user: 'U0ALICE', text: `<@${emulator.botUserId}> hi`, ts: '1732780000.000200', channel: 'C0PUBLIC' };
    const sent = await driver.event(mention, { retryNum: 1, retryReason: 'http_timeout' });
    expect(sent.status).toBe(200);
    await emulator.waitFor(() => received.event);
    expect(received.event).toMatchObject({ event: { type: 'app_mention' }, retryNum: 1, retryReason: 'http_timeout' });
  });

  it('delivers app_uninstalled to the listener Bolt has for it', async () => {
    expect((await driver.appUninstalled()).status).toBe(200);
    await emulator.waitFor(() => received.uninstalled);
    expect(received.uninstalled).toMatchObject({ event: { type: 'app_uninstalled' }, teamId: 'T0001' });
  });

  it('is refused by Bolt when forged, stale, unsigned or sent with a charset', async () => {
    const body = 'command=%2Fcase&text=x';
    const form = 'application/x-www-form-urlencoded';
    expect((await driver.raw({ body, contentType: form, signature: 'v0=00' })).status).toBe(401);
    expect((await driver.raw({ body, contentType: form, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect((await driver.raw({ body, contentType: form, timestamp: null, signature: null })).status).toBe(401);
    expect((await driver.raw({ body, contentType: `${form}; charset=utf-8` })).status).toBe(400);
  });
});
