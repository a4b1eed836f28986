/**
 * What this replica wrote or read a moment ago, kept so the request that usually follows need not ask the cluster
 * again. Only ever a starting point for a conditional write or a fact that cannot change any more: whoever uses an
 * entry still finds out from the cluster when it no longer holds. Bounded in size and, optionally, in age.
 */
export class RecentMemory<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(private readonly options: { maxEntries: number; maxAgeMs?: number }) {}

  remember(key: string, value: T): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, at: Date.now() });
  }

  /** The entry, if it is young enough; it is forgotten either way. */
  take(key: string): T | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry && this.fresh(entry.at) ? entry.value : undefined;
  }

  has(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.fresh(entry.at);
  }

  private fresh(at: number): boolean {
    return this.options.maxAgeMs === undefined || Date.now() - at <= this.options.maxAgeMs;
  }
}
