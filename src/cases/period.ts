/** A span of time: from `fromMs` (included) to `toMs` (excluded), epoch milliseconds. */
export interface Period {
  fromMs: number;
  toMs: number;
}

/** Whether the instant (an ISO time; none is never in) falls in the period. */
export function inPeriod(period: Period, iso: string | null | undefined): boolean {
  if (!iso) return false;
  const ms = Date.parse(iso);
  return ms >= period.fromMs && ms < period.toMs;
}
