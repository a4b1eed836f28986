import type { WebClient } from '@slack/web-api';
import { type Effect, type EffectKind, streamOfEffect } from '../../cases/outbox';
import type { SlaPolicy } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import { type CardOptions, caseCard, type Undelivered } from '../blocks/case-card';
import { mentionActor } from '../blocks/text';
import { caseOfEffect } from '../../cases/effect-case';

/**
 * What a case's card says could not be delivered, and where: the effects given up on whose content the card does
 * not carry itself (a card edit given up on is made good by the next one; a card never posted has nowhere to say it).
 */
const SAID_ON_CARD: Partial<Record<EffectKind, (effect: Effect) => Omit<Undelivered, 'reason' | 'at'>>> = {
  thread_line: (effect) => ({ to: 'Slack', what: `the thread line for ${mentionActor(effect.payload.actor)}'s change` }),
  upload_chart: (effect) => ({ to: 'Slack', what: `the chart ${mentionActor(effect.payload.actor)} added` }),
  index_event: (effect) => ({ to: 'Elasticsearch', what: `the document of a message ${mentionActor(effect.payload.actor)} attached` }),
  kibana_push: (effect) => ({ to: 'Kibana', what: `${mentionActor(effect.payload.actor)}'s change` }),
};

/** The newest few are enough to send someone to `/case show`; the card stays small on a phone. */
const NOTES_SHOWN = 3;

/** The card's notes on what could not be delivered, newest first; `givenUp` is one just given up on (a search may not see it yet). */
export async function undeliveredNotes(store: CaseStore, caseId: string, givenUp?: Effect): Promise<Undelivered[]> {
  // Both lanes of the case: what it owed Slack and the cluster, and what it owed Kibana.
  const lanes = await Promise.all([caseId, streamOfEffect(caseId, 'kibana_push')].map((stream) => store.outbox.failedEffects(stream, NOTES_SHOWN)));
  const failed = lanes.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const effects = givenUp ? [givenUp, ...failed.filter((effect) => effect.id !== givenUp.id)] : failed;
  return effects.flatMap((effect) => {
    const said = SAID_ON_CARD[effect.kind]?.(effect);
    return said ? [{ ...said, reason: effect.lastError ?? 'refused', at: effect.createdAt }] : [];
  }).slice(0, NOTES_SHOWN);
}

/**
 * Says on the case's card that `effect` was given up on, for `reason`. False when the card cannot say it: the case or its
 * card is gone, or Slack refuses the edit too (the channel archived, the bot removed), and the caller tells the
 * person who caused it instead.
 */
/** What a card is drawn with outside a listener: the case comes from the store. */
export interface CardDrawing {
  client: WebClient;
  store: CaseStore;
  sla: SlaPolicy;
  kibana?: CardOptions['kibana'];
}

export async function sayOnCard(deps: CardDrawing, effect: Effect, reason: string): Promise<boolean> {
  const theCase = await caseOfEffect(deps.store, effect);
  if (!theCase?.origin.cardTs) return false;
  const undelivered = await undeliveredNotes(deps.store, theCase.id, { ...effect, lastError: reason });
  return deps.client.chat.update({ channel: theCase.origin.channelId, ts: theCase.origin.cardTs, ...caseCard(theCase, { undelivered, sla: deps.sla, kibana: deps.kibana }) }).then(
    () => true,
    () => false,
  );
}
