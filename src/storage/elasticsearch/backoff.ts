/** Waiting between attempts that lost a race: exponential with full jitter, so racing replicas spread out. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function backoffDelay(attempt: number, baseMs = 5, capMs = 250): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
