/**
 * The emulator's clock and id generators, shared by every workspace: Slack's ids and message timestamps are
 * unique across Slack, not per workspace, and `advanceTime` moves every workspace's time (trigger ids,
 * response URLs, OAuth codes, expiring tokens) together.
 */
export class EmulatorClock {
  private offsetMs = 0;
  private lastTsMicros = 0;
  private serial = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** `now()` to a fraction of a millisecond: when calls arrived, for timings shorter than a few milliseconds. */
  preciseNow(): number {
    return performance.timeOrigin + performance.now() + this.offsetMs;
  }

  advanceTime(ms: number): void {
    this.offsetMs += ms;
  }

  /** A counter for ids that need to be unique within this emulator. */
  nextSerial(): number {
    return ++this.serial;
  }

  /** Slack-style ids: a type prefix and uppercase alphanumerics, unique within this emulator. */
  nextId(prefix: string): string {
    return `${prefix}${this.nextSerial().toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Message timestamps: unique and increasing, `seconds.micros` like `1732780000.000100`. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }
}
