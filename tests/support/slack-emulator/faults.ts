/** Fault injection: queued per Web API method (or per `response_url` / `upload` endpoint), taken one per request. */
import { type HttpReply, jsonReply } from './http';
import type { SlackFault } from './types';

export class Faults {
  private readonly queues = new Map<string, SlackFault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Queues `fault` for the next `times` requests to `target`. */
  add(target: string, fault: SlackFault, times: number): void {
    const queue = this.queues.get(target) ?? [];
    queue.push(...Array.from({ length: times }, () => fault));
    this.queues.set(target, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /** Ends pending delays, so the server can close. */
  stop(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  /**
   * Applies the next queued fault for `target`: a delay returns undefined after waiting (the request then
   * proceeds normally); anything else becomes the reply. Web API errors are HTTP 200 `ok:false`; the
   * hooks-style endpoints (response_url, upload) report errors with a non-2xx status, as Slack's hooks do.
   */
  async take(target: string, isWebApi: boolean): Promise<HttpReply | undefined> {
    const fault = this.queues.get(target)?.shift();
    if (!fault) return undefined;
    if ('delayMs' in fault) {
      await this.sleep(fault.delayMs);
      return undefined;
    }
    if ('error' in fault) return jsonReply({ ok: false, error: fault.error }, fault.status ?? (isWebApi ? 200 : 400));
    if ('retryAfter' in fault) return jsonReply({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(fault.retryAfter) });
    return jsonReply({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }, fault.status);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
