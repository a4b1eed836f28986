/** `response_url`s: minted per interaction, usable 5 times within 30 minutes, posting or editing messages. */
import type { Faults } from './faults';
import { type HttpReply, jsonReply, parseJsonObject, textReply } from './http';
import type { RecordedResponse, ResponseUrlContext } from './types';
import { type Obj, PlatformError, randomToken } from './web-api';
import type { Workspace } from './workspace';

const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;

interface ResponseUrlRecord extends ResponseUrlContext {
  mintedAt: number;
  uses: number;
}

export class ResponseUrls {
  readonly responses: RecordedResponse[] = [];
  private readonly minted = new Map<string, ResponseUrlRecord>();

  constructor(
    private readonly workspace: Workspace,
    private readonly faults: Faults,
  ) {}

  mint(context: ResponseUrlContext): string {
    const id = `${this.workspace.clock.nextSerial()}${randomToken(12)}`;
    this.minted.set(id, { ...context, mintedAt: this.workspace.clock.now(), uses: 0 });
    return `${this.workspace.baseUrl()}/respond/${id}`;
  }

  /** Whether this workspace minted the response URL `id`: routes a post to it. */
  isMinted(id: string): boolean {
    return this.minted.has(id);
  }

  async handle(id: string, body: Buffer): Promise<HttpReply> {
    const payload = parseJsonObject(body);
    const reply = payload ? await this.respond(id, payload) : textReply('invalid_payload', 400);
    const fields = payload ?? {};
    this.responses.push({
      id,
      text: fields.text as string | undefined,
      blocks: fields.blocks,
      response_type: fields.response_type as string | undefined,
      replace_original: fields.replace_original as boolean | undefined,
      delete_original: fields.delete_original as boolean | undefined,
      thread_ts: fields.thread_ts as string | undefined,
      status: reply.status,
      at: this.workspace.clock.now(),
    });
    return reply;
  }

  /**
   * Slack's limits on response URLs: 5 uses within 30 minutes. What Slack answers beyond them is not
   * documented; the emulator answers 404 with `used_url` / `expired_url`, and 404 `no_service` (the
   * documented incoming-webhook error for an invalid URL) for an id it never minted.
   */
  private respond(id: string, payload: Obj): Promise<HttpReply> {
    return this.faults.apply('response_url', false, () => this.use(id, payload));
  }

  private use(id: string, payload: Obj): HttpReply {
    const entry = this.minted.get(id);
    if (!entry) return textReply('no_service', 404);
    if (this.workspace.clock.now() - entry.mintedAt > RESPONSE_URL_TTL_MS) return textReply('expired_url', 404);
    if (entry.uses >= RESPONSE_URL_MAX_USES) return textReply('used_url', 404);
    entry.uses += 1;
    try {
      this.apply(entry, payload);
      return jsonReply({ ok: true });
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      // Hooks report errors with HTTP 400 (e.g. "400 invalid_blocks"); the body carries Slack's details.
      return jsonReply({ ok: false, error: error.code, ...error.extra }, 400);
    }
  }

  private apply(entry: ResponseUrlRecord, payload: Obj): void {
    const { workspace } = this;
    const channel = entry.channelId ? workspace.channels.get(entry.channelId) : undefined;
    const original = channel ? workspace.findInChannel(channel, entry.messageTs) : undefined;
    if (payload.delete_original === true) {
      if (channel && original) workspace.messages.set(channel.id, (workspace.messages.get(channel.id) ?? []).filter((m) => m !== original));
      return;
    }
    if (payload.text === undefined && payload.blocks === undefined) throw new PlatformError('no_text');
    const { fields } = workspace.checks.message(payload, 'response_url');
    if (payload.replace_original === true && original) {
      workspace.editMessage(original, fields, 'replace');
    } else if (payload.response_type === 'in_channel' && channel) {
      const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
      workspace.storeMessage(channel, { ...workspace.botAuthor(), ...fields }, threadTs);
    }
  }
}
