import type { Severity, Status } from '../cases/model';

/**
 * Since 8.7 Kibana stores case status and severity as numbers (reference §2.2); user-action payloads keep
 * the strings. Readers map unknown numbers back to open / low, and so do we (the caller reports it).
 */
export const STATUS_CODES: Readonly<Record<Status, number>> = { open: 0, 'in-progress': 10, closed: 20 };
export const SEVERITY_CODES: Readonly<Record<Severity, number>> = { low: 0, medium: 10, high: 20, critical: 30 };

export function statusFromCode(code: number): Status | undefined {
  return keyOf(STATUS_CODES, code);
}

export function severityFromCode(code: number): Severity | undefined {
  return keyOf(SEVERITY_CODES, code);
}

function keyOf<K extends string>(codes: Readonly<Record<K, number>>, code: number): K | undefined {
  return (Object.keys(codes) as K[]).find((key) => codes[key] === code);
}
