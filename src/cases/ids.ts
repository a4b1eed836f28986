import { createHash } from 'node:crypto';

/**
 * A UUID (version 5 layout) derived from a namespace and key parts. Where Slack gives a natural key — a
 * modal's view id, a message's (team, channel, ts) — deriving the id from it makes a repeated delivery
 * write the same record, which the store then refuses as a duplicate: exactly-once without a lock.
 */
export function deterministicId(namespace: string, ...parts: string[]): string {
  const hash = createHash('sha1').update(JSON.stringify([namespace, ...parts])).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
