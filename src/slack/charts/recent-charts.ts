/**
 * PNGs this process drew for charts whose upload the outbox still owes, by chart (attachment) id: the upload then
 * sends the very image the listener drew instead of drawing it again. Another replica, or this one after a
 * restart, draws it again from the chart's stored configuration. Bounded: the oldest go first.
 */
export class RecentCharts {
  private readonly pngs = new Map<string, Buffer>();

  constructor(private readonly capacity = 16) {}

  remember(chartId: string, png: Buffer): void {
    this.pngs.set(chartId, png);
    for (const oldest of this.pngs.keys()) {
      if (this.pngs.size <= this.capacity) break;
      this.pngs.delete(oldest);
    }
  }

  /** The PNG, once: after the upload nothing needs it. */
  take(chartId: string): Buffer | undefined {
    const png = this.pngs.get(chartId);
    this.pngs.delete(chartId);
    return png;
  }
}
