/**
 * Work that has no natural key to make it idempotent (an export): while one request for it is under way, and
 * for a few seconds after, the same request again — a double tap, or Slack delivering the same payload twice —
 * is recognised. Asking again once that has passed is a fresh request (an export after the case changed).
 * Per process: two replicas receiving the two taps would both act, which is rare enough for work that only
 * posts a file.
 */
export class RequestsUnderWay {
  /** Per key: the trigger ids that asked, and when the work finished (undefined while it runs). */
  private readonly requests = new Map<string, { triggers: Set<string>; finishedAt?: number }>();

  constructor(
    private readonly lingerMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts `key` unless it is under way or just finished: `started` (call `finish` when done), `repeat` (another
   * request for the same work; say so) or `redelivered` (the same request again, by trigger id; say nothing).
   * Synchronous, so two concurrent deliveries cannot both start.
   */
  begin(key: string, triggerId: string): { outcome: 'started'; finish: () => void } | { outcome: 'repeat' } | { outcome: 'redelivered' } {
    this.forgetFinished();
    const known = this.requests.get(key);
    if (known) {
      if (known.triggers.has(triggerId)) return { outcome: 'redelivered' };
      known.triggers.add(triggerId);
      return { outcome: 'repeat' };
    }
    const entry: { triggers: Set<string>; finishedAt?: number } = { triggers: new Set([triggerId]) };
    this.requests.set(key, entry);
    return { outcome: 'started', finish: () => (entry.finishedAt = this.now()) };
  }

  private forgetFinished(): void {
    const now = this.now();
    for (const [key, entry] of this.requests) if (entry.finishedAt !== undefined && now - entry.finishedAt > this.lingerMs) this.requests.delete(key);
  }
}
