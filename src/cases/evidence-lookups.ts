import type { IndicatorType, MessageSnapshot } from './attachments';

/** Where an attached message's searchable document is. */
export interface EventDocumentRef {
  index: string;
  id: string;
}

/**
 * What the cluster adds to evidence when Elasticsearch is configured (DESIGN.md §6): attached messages as
 * searchable documents, threat-intel matches for indicators, and alert documents. The domain treats every
 * lookup as optional: a cluster that cannot answer never blocks attaching evidence.
 */
export interface EvidenceLookups {
  /** Indexes the message as evidence of the case; its indicators are found in its text. Idempotent. */
  indexMessage(message: MessageSnapshot, caseId: string): Promise<EventDocumentRef>;
  updateMessage(document: EventDocumentRef, message: MessageSnapshot): Promise<EventDocumentRef>;
  lookupIndicator(indicator: { type: IndicatorType; value: string }): Promise<{ documentId: string; feedName: string | null } | null>;
  lookupAlert(alertId: string, index: string): Promise<{ rule: { id: string | null; name: string | null } } | null>;
}
