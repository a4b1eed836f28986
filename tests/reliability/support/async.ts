/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. For state the emulator does not hold (the store). */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * `items.map(work)` with at most `limit` in flight: set-up that drives the app through whole flows must
 * not flood the event loop the app shares with the test, or Slack's 3-second trigger ids expire.
 */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
