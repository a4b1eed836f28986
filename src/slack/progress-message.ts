import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log';

/** A progress message is edited at most this often: chat.update is rate limited (tier 3, about 50 a minute). */
const PROGRESS_EVERY_MS = 2000;

/**
 * A message edited in place while long work runs (an export being written, an import being read and written).
 * Progress is best effort: an edit that fails is logged, and the work goes on. The outcome is set with `end`,
 * whose failure the caller decides about.
 */
export class ProgressMessage {
  private lastShown = Date.now();
  // The edit in flight, which `end` waits for: otherwise Slack could apply it after the outcome.
  private shown: Promise<unknown> = Promise.resolve();

  /** `ts` undefined: Slack gave no message to edit, and nothing is shown. */
  constructor(
    private readonly client: WebClient,
    readonly channel: string,
    private readonly ts: string | undefined,
    private readonly logger: Logger,
    private readonly everyMs = PROGRESS_EVERY_MS,
  ) {}

  /** Shows `text` unless the message was edited less than `everyMs` ago; never waits and never throws. */
  show(text: string): void {
    if (!this.ts || Date.now() - this.lastShown < this.everyMs) return;
    this.lastShown = Date.now();
    this.shown = this.client.chat.update({ channel: this.channel, ts: this.ts, text }).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not update a progress message');
    });
  }

  /** The message's last text: what the work came to. */
  async end(text: string): Promise<void> {
    if (!this.ts) return;
    await this.shown;
    await this.client.chat.update({ channel: this.channel, ts: this.ts, text });
  }
}
