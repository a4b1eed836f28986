import { WebSocket } from 'ws';
import { SlackEmulator } from '../support/slack-emulator';
import { TOKEN, webClient } from './helpers';

const APP_TOKEN = 'xapp-selftest-app-token';

describe('the emulator as Slack for Socket Mode', () => {
  let emulator: SlackEmulator;

  beforeEach(async () => {
    emulator = await SlackEmulator.start({ botToken: TOKEN, appToken: APP_TOKEN });
  });

  afterEach(() => emulator.stop());

  /** Connects like an app: apps.connections.open with the app token, then the WebSocket; resolves on hello. */
  async function connect(): Promise<{ socket: WebSocket; hello: Record<string, unknown> }> {
    const { url } = await webClient(emulator, {}, APP_TOKEN).apps.connections.open();
    const socket = new WebSocket(url!);
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
      socket.once('error', reject);
    });
    return { socket, hello };
  }

  it('opens connections for the app-level token only, as Slack does', async () => {
    await expect(webClient(emulator).apps.connections.open()).rejects.toMatchObject({ data: { ok: false, error: 'not_allowed_token_type' } });
    await expect(webClient(emulator, {}, 'xapp-wrong').apps.connections.open()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    await expect(webClient(emulator, {}, APP_TOKEN).auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'not_allowed_token_type' } });
    const { url } = await webClient(emulator, {}, APP_TOKEN).apps.connections.open();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0CASEOPS$/);
  });

  it('says hello on connect, and a ticket connects once', async () => {
    const { socket, hello } = await connect();
    expect(hello).toMatchObject({ type: 'hello', connection_info: { app_id: emulator.appId } });
    expect(emulator.socketMode.connected).toBe(true);
    const reused = new WebSocket(socket.url);
    await expect(new Promise((resolve, reject) => reused.once('open', resolve).once('error', reject))).rejects.toThrow(/401/);
    socket.close();
  });

  it('sends envelopes and resolves with the payload of the ack that names them', async () => {
    const { socket } = await connect();
    socket.on('message', (data) => {
      const envelope = JSON.parse(String(data)) as { envelope_id: string; type: string; accepts_response_payload: boolean };
      socket.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload: envelope.accepts_response_payload ? { echoed: envelope.type } : {} }));
    });
    await expect(emulator.socketMode.deliver('interactive', { type: 'block_suggestion' })).resolves.toEqual({ echoed: 'interactive' });
    await expect(emulator.socketMode.deliver('events_api', { type: 'event_callback' })).resolves.toBeUndefined();
    socket.close();
  });

  it('gives up on an envelope nobody acks after 3 seconds, as Slack does', async () => {
    const { socket } = await connect();
    await expect(emulator.socketMode.deliver('slash_commands', { command: '/case' })).rejects.toThrow(/no ack for the slash_commands envelope within 3000 ms/);
    socket.close();
  });
});
