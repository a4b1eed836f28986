/**
 * Fault injection, one mechanism for every Slack-hosted endpoint: faults queued per Web API method (or for the
 * `response_url` / `upload` endpoints), taken one per request, and an outage that fails every request until lifted.
 */
import { type HttpReply, jsonReply } from './http';
import type { SlackFault } from './types';

/** What Slack's front door answers while it is down. */
const OUTAGE: SlackFault = { status: 503 };

export class Faults {
  private readonly queues = new Map<string, SlackFault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private outage: SlackFault | undefined;

  /** Queues `fault` for the next `times` requests to `target`. */
  add(target: string, fault: SlackFault, times: number): void {
    const queue = this.queues.get(target) ?? [];
    queue.push(...Array.from({ length: times }, () => fault));
    this.queues.set(target, queue);
  }

  /** While on, every request to every target answers 503; queued faults wait until it is lifted. */
  setOutage(on: boolean): void {
    this.outage = on ? OUTAGE : undefined;
  }

  clear(): void {
    this.queues.clear();
    this.outage = undefined;
  }

  /** Ends pending delays, so the server can close. */
  stop(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  /**
   * Answers a request to `target`, `perform` doing the real work. With no fault it just performs; a delay
   * performs after waiting; a lost answer performs and then has the connection dropped unanswered; any other
   * fault answers instead of performing. Web API errors are HTTP 200 `ok:false`; the hooks-style endpoints
   * (response_url, upload) report errors with a non-2xx status, as Slack's hooks do.
   */
  async apply(target: string, isWebApi: boolean, perform: () => HttpReply | Promise<HttpReply>): Promise<HttpReply> {
    const fault = this.outage ?? this.queues.get(target)?.shift();
    if (!fault) return perform();
    if ('delayMs' in fault) {
      await this.sleep(fault.delayMs);
      return perform();
    }
    if ('answerLost' in fault) return { ...(await perform()), dropConnection: true };
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
