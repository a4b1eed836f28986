import { SIGNING_SECRET } from '../../support/harness';
import { type DriverResponse, type RawRequest, SlackDriver } from '../../support/slack-driver';
import type { SlackEmulator } from '../../support/slack-emulator';

/**
 * A driver that opens a connection per request. Bolt's server closes an idle keep-alive connection after
 * Node's default 5 s, and fetch may pick exactly such a connection after a pause in a test (its own idle
 * timer is coarse), which ends in ECONNRESET before the app sees the request: a test artefact, avoided.
 */
export class FreshConnectionDriver extends SlackDriver {
  constructor(baseUrl: string, emulator: SlackEmulator) {
    super({ appUrl: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
  }

  override raw(request: RawRequest): Promise<DriverResponse> {
    return super.raw({ ...request, headers: { Connection: 'close', ...request.headers } });
  }
}

/**
 * Builds requests exactly as the driver would send them, and keeps them instead of sending: the genuine
 * requests that forgeries are made from.
 */
export class CapturingDriver extends SlackDriver {
  readonly captured: RawRequest[] = [];

  override async raw(request: RawRequest): Promise<DriverResponse> {
    this.captured.push(request);
    return { status: 0, body: '', headers: {}, elapsedMs: 0 };
  }
}

export interface Redelivery {
  /** How many times each request arrives (Slack's retries, a proxy's, a flaky network's). */
  copies: number;
  /** All at once (a retry racing the first delivery) or one after the other. */
  mode: 'concurrent' | 'sequential';
}

/**
 * Delivers every request several times, byte for byte the same payload (re-signed, as Slack signs each
 * attempt). Events API copies carry X-Slack-Retry-Num like Slack's own retries. Answers with the first
 * delivery's response; `delivered` counts every copy sent.
 */
export class RedeliveringDriver extends FreshConnectionDriver {
  delivered = 0;

  constructor(
    baseUrl: string,
    emulator: SlackEmulator,
    private readonly redelivery: Redelivery,
  ) {
    super(baseUrl, emulator);
  }

  override async raw(request: RawRequest): Promise<DriverResponse> {
    const copies = Array.from({ length: this.redelivery.copies }, (_, attempt) => this.copy(request, attempt));
    if (this.redelivery.mode === 'concurrent') return (await Promise.all(copies.map((copy) => this.send(copy))))[0]!;
    const responses: DriverResponse[] = [];
    for (const copy of copies) responses.push(await this.send(copy));
    return responses[0]!;
  }

  private send(request: RawRequest): Promise<DriverResponse> {
    this.delivered += 1;
    return super.raw(request);
  }

  private copy(request: RawRequest, attempt: number): RawRequest {
    const isEvent = request.contentType === 'application/json';
    if (attempt === 0 || !isEvent) return request;
    return { ...request, headers: { ...request.headers, 'X-Slack-Retry-Num': String(attempt), 'X-Slack-Retry-Reason': 'http_timeout' } };
  }
}
