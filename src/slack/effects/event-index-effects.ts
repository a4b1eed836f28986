import type { WebClient } from '@slack/web-api';
import type { EvidenceService } from '../../cases/evidence-service';
import type { SlaPolicy } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import type { Effect } from '../../cases/outbox';
import type { EffectHandler } from '../../outbox/dispatcher';
import type { CardOptions, SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { warning } from '../blocks/notice';
import { sayOnCard } from './card-notes';
import { caseOfEffect } from '../../cases/effect-case';

export interface EventIndexEffectDeps {
  client: WebClient;
  store: CaseStore;
  /** The card's SLA line, for the card that says the document could not be written. */
  sla: SlaPolicy;
  /** Where Kibana is: the card links to the case's mirror there. */
  kibana?: CardOptions['kibana'];
  evidence: EvidenceService;
  /** Tells the person who attached the message, where the card cannot say it. */
  tell(effect: Effect, message: SlackMessage): Promise<void>;
}

/**
 * An attached message's ECS document, written to the cluster (or rewritten after an edit) once the attachment is
 * committed. The write is idempotent, so a retry needs no lookup. Given up on, the case's card says so: the message
 * itself is attached, only its copy in Elasticsearch is missing.
 */
export function indexEvent(deps: EventIndexEffectDeps): EffectHandler {
  return {
    async deliver(effect) {
      await deps.evidence.indexEventDocument(effect.teamId, effect.stream, effect.payload.attachmentId ?? '');
    },
    async giveUp(effect, reason) {
      if (await sayOnCard(deps, effect, reason)) return;
      const theCase = await caseOfEffect(deps.store, effect);
      if (!theCase) return;
      await deps.tell(effect, warning(`The message is attached to case ${caseLabel(theCase)}, but Elasticsearch did not take its document (${reason}).`));
    },
  };
}
