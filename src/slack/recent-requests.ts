/**
 * Requests seen in the last few seconds, for work that has no natural key to make it idempotent (an export):
 * a double tap or a redelivered request within the window is recognised and dropped. Per process: two
 * replicas receiving the two taps would both act, which is rare enough for work that only posts a file.
 */
export class RecentRequests {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 15_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `key` is seen within the window; false for a repeat. Synchronous, so race-free. */
  claim(key: string): boolean {
    const now = this.now();
    for (const [seenKey, at] of this.seen) if (now - at > this.windowMs) this.seen.delete(seenKey);
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }
}
