import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { DriverResponse, HttpSend } from './slack-driver';

/** The three envelope types Slack sends over Socket Mode. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack waits for after sending an envelope: the app's ack, which must come within 3 seconds. */
const ACK_TIMEOUT_MS = 3000;

const LINK_PATH = '/link/';

/**
 * Slack's side of Socket Mode, on the emulator's HTTP server: `apps.connections.open` hands out a one-use
 * `ws://…/link/?ticket=…` URL, the app connects, Slack says `hello`, then sends envelopes
 * (`{envelope_id, type, payload, accepts_response_payload}`) and waits for `{envelope_id, payload?}` back.
 */
export class SocketModeLink {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private socket: WebSocket | undefined;
  /** Connections accepted so far (a reconnect makes a second). */
  connections = 0;

  constructor(
    httpServer: http.Server,
    private readonly baseUrl: () => string,
    private readonly appId: string,
  ) {
    httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
  }

  /** A fresh WebSocket URL, as `apps.connections.open` answers it; each ticket connects once. */
  openUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.baseUrl().replace(/^http/, 'ws')}${LINK_PATH}?ticket=${ticket}&app_id=${this.appId}`;
  }

  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  /**
   * Sends one envelope and resolves with the payload of the app's ack (undefined when it acked without one);
   * rejects when no ack comes within 3 seconds, which Slack shows the user as a failure.
   */
  async deliver(type: EnvelopeType, payload: object, options: { retryAttempt?: number } = {}): Promise<unknown> {
    const socket = this.socket;
    if (!socket || socket.readyState !== 1) throw new Error('no app is connected over Socket Mode');
    const envelopeId = randomUUID();
    const acked = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for the ${type} envelope within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.pendingAcks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        resolve(ackPayload);
      });
    });
    const retry = type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' } : {};
    socket.send(JSON.stringify({ envelope_id: envelopeId, payload, type, accepts_response_payload: type !== 'events_api', ...retry }));
    return acked;
  }

  /** Closes every connection with the close handshake (an app that is stopping may be in the middle of one). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.server.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => client.terminate(), 1000);
            client.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            client.close(1001, 'emulator stopping');
          }),
      ),
    );
    this.server.close();
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'ws://emulator');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== LINK_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (client) => this.accept(client));
  }

  private accept(client: WebSocket): void {
    this.connections += 1;
    this.socket = client;
    client.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      const settle = message.envelope_id ? this.pendingAcks.get(message.envelope_id) : undefined;
      if (!settle || !message.envelope_id) return;
      this.pendingAcks.delete(message.envelope_id);
      const payload = message.payload && typeof message.payload === 'object' && Object.keys(message.payload).length ? message.payload : undefined;
      settle(payload);
    });
    client.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-emulator', approximate_connection_time: 18060 }, connection_info: { app_id: this.appId } }));
  }
}

/**
 * Turns the signed HTTP requests the SlackDriver builds into the Socket Mode envelopes Slack would send
 * instead: a slash command's form becomes its fields as JSON, an interactivity form its `payload` JSON, an
 * Events API body the same JSON. The answer reads like the HTTP one: 200 and the ack's payload as the body.
 */
export function socketModeSend(link: SocketModeLink): HttpSend {
  return async (_url, headers, body): Promise<DriverResponse> => {
    const started = performance.now();
    const { type, payload } = envelopeOf(headers['Content-Type'] ?? '', body);
    const ackPayload = await link.deliver(type, payload, { retryAttempt: Number(headers['X-Slack-Retry-Num'] ?? 0) });
    return { status: 200, body: ackPayload === undefined ? '' : JSON.stringify(ackPayload), headers: {}, elapsedMs: performance.now() - started };
  };
}

function envelopeOf(contentType: string, body: string): { type: EnvelopeType; payload: object } {
  if (contentType.startsWith('application/json')) return { type: 'events_api', payload: JSON.parse(body) as object };
  const form = new URLSearchParams(body);
  const interaction = form.get('payload');
  if (interaction !== null) return { type: 'interactive', payload: JSON.parse(interaction) as object };
  return { type: 'slash_commands', payload: Object.fromEntries(form) };
}
