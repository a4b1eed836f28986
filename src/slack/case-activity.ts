import type { ChangeResult } from '../cases/case-access';

/**
 * How long a listener waits for the card to show a change before telling the person that Slack is slow: long
 * enough for the outbox's first retries (0.5, 1 and 2 s) and a short Retry-After, so a passing fault goes unseen.
 */
const CARD_WAIT_MS = 6_000;

/** What listeners know of the outbox's delivery (the dispatcher, in runtime.ts). */
export interface CardDelivery {
  whenSettled(effectIds: readonly string[], timeoutMs: number): Promise<boolean>;
}

/**
 * Waits (briefly) until Slack shows a change: the effects this very change recorded (its card, card edit, thread
 * line, chart) are delivered. They are in the outbox, so they will be delivered whatever happens; false means
 * Slack has not taken them yet, and the person who acted should be told the card will catch up.
 */
export function cardCaughtUp(delivery: CardDelivery, result: Pick<ChangeResult, 'effectIds'>): Promise<boolean> {
  return delivery.whenSettled(result.effectIds ?? [], CARD_WAIT_MS);
}

/** Said to the person who acted when the card has not caught up. */
export const CARD_WILL_CATCH_UP = 'Slack has not taken the card update yet: I keep trying, and tell you if it cannot be done.';
