/**
 * Claims on work that has no natural key to make it idempotent (an export): while one request for it is under
 * way, and for a few seconds after, the same request again — a double tap, or Slack delivering the same payload
 * twice — is recognised. Kept in the store, so the two taps of a double tap are recognised even when they reach
 * different replicas. Asking again once that has passed is a fresh request (an export after the case changed).
 */

/**
 * `started`: the caller does the work, then calls `finish`. `repeat`: another request for work under way or just
 * done (say so). `redelivered`: the very same request again, by trigger id (say nothing).
 */
export type ClaimOutcome = 'started' | 'repeat' | 'redelivered';

export interface RequestClaims {
  /** Claims `key` for the request `triggerId`, atomically: of concurrent requests for one key, one starts. */
  begin(key: string, triggerId: string, now: Date): Promise<ClaimOutcome>;
  /** The work `triggerId` started is done: the claim lingers a few seconds, then the key is free. */
  finish(key: string, triggerId: string, now: Date): Promise<void>;
  /**
   * The request `triggerId` started was refused before any work was done (an unknown case): nothing is under way
   * or was done, so the key is free at once and asking again is answered afresh.
   */
  release(key: string, triggerId: string): Promise<void>;
}

/** A claim as the stores keep it. */
export interface Claim {
  /** The trigger whose request started the work: only its `finish` ends the claim. */
  startedBy: string;
  /** Every trigger that asked while the claim held, so a redelivery of any of them stays silent. */
  triggers: string[];
  startedAt: string;
  finishedAt: string | null;
}

/** A finished claim still answers `repeat` this long: a double tap landing just after a quick export is done. */
export const CLAIM_LINGER_MS = 3_000;
/**
 * A claim still running after this long is presumed abandoned (its replica died mid-export) and is taken over.
 * Far above the longest export, which streams at most a few hundred thousand objects.
 */
export const CLAIM_ABANDONED_MS = 15 * 60_000;

export type ClaimDecision = { outcome: 'started' | 'repeat'; claim: Claim } | { outcome: 'redelivered' };

/** What `begin` makes of the stored claim (null: none): the outcome, and the claim to store unless redelivered. */
export function decideClaim(current: Claim | null, triggerId: string, now: Date): ClaimDecision {
  const fresh: Claim = { startedBy: triggerId, triggers: [triggerId], startedAt: now.toISOString(), finishedAt: null };
  if (!current || !holds(current, now)) return { outcome: 'started', claim: fresh };
  if (current.triggers.includes(triggerId)) return { outcome: 'redelivered' };
  return { outcome: 'repeat', claim: { ...current, triggers: [...current.triggers, triggerId] } };
}

/** The claim `finish` stores, or null when there is nothing to end (gone, finished, or taken over by another request). */
export function finishedClaim(current: Claim | null, triggerId: string, now: Date): Claim | null {
  if (!current || current.startedBy !== triggerId || current.finishedAt !== null) return null;
  return { ...current, finishedAt: now.toISOString() };
}

/** Whether `release` by `triggerId` ends this claim: only the request that started it, while it runs. */
export function releasableBy(current: Claim | null, triggerId: string): boolean {
  return current !== null && current.startedBy === triggerId && current.finishedAt === null;
}

function holds(claim: Claim, now: Date): boolean {
  const since = (at: string) => now.getTime() - Date.parse(at);
  return claim.finishedAt === null ? since(claim.startedAt) <= CLAIM_ABANDONED_MS : since(claim.finishedAt) <= CLAIM_LINGER_MS;
}
