/** First retry after half a second, doubling to at most 30 s, with ±20 % jitter so replicas do not retry in step. */
const BASE_MS = 500;
const MAX_MS = 30_000;

export function retryDelayMs(attempts: number): number {
  const plain = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}
