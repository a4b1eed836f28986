import equal from 'fast-deep-equal';

import type { TypedAttachmentData } from '../attachment-data';
import { isKibanaEvent } from '../attachment-data';
import { indicatorTypeToKibana, MISSING_METADATA_VALUE } from '../indicators';
import { writeMarkedComment } from '../marked-comments';
import type { Attributes } from '../saved-objects';
import type { TargetProfile } from './versions';

/**
 * The type-specific attributes of the Kibana comment a caseops attachment becomes — Kibana's attachment
 * request shape without `owner`, in sorted key order (attribute-order.ts). Used for the `cases-comments`
 * object and for the `comment` payload of the user action that added it, so both always agree. `unknown`
 * attachments are not converted: they are written as the saved object they were.
 */
export function kibanaCommentAttributes(
  attachment: Exclude<TypedAttachmentData, { type: 'unknown' }>,
  attachmentId: string,
  profile: TargetProfile,
): Attributes {
  switch (attachment.type) {
    case 'user':
      return { comment: attachment.data.comment, type: 'user' };
    case 'alert':
      // The rule is the schema's output (attachment-data.ts): its members in the schema's order, which is sorted.
      return { alertId: attachment.data.alertId, index: attachment.data.index, rule: attachment.data.rule, type: 'alert' };
    case 'indicator': {
      const indicator = attachment.data;
      return {
        externalReferenceAttachmentTypeId: 'indicator',
        // Kibana's threat-intel flyout looks the indicator up by this id; without a document any stable id will do.
        externalReferenceId: indicator.documentId ?? attachmentId,
        externalReferenceMetadata: {
          indicatorFeedName: indicator.feedName ?? MISSING_METADATA_VALUE,
          indicatorName: indicator.value,
          indicatorType: indicatorTypeToKibana(indicator.type),
        },
        externalReferenceStorage: { type: 'elasticSearchDoc' },
        type: 'externalReference',
      };
    }
    case 'timeline':
      return { comment: writeMarkedComment({ kind: 'timeline', data: attachment.data }), type: 'user' };
    case 'visualization':
      return { comment: writeMarkedComment({ kind: 'visualization', data: attachment.data }), type: 'user' };
    case 'event':
      return isKibanaEvent(attachment.data, profile.eventAttachments)
        ? { eventId: attachment.data.document.id, index: attachment.data.document.index, type: 'event' }
        : { comment: writeMarkedComment({ kind: 'event', data: attachment.data }), type: 'user' };
  }
}

/**
 * The Kibana comment attributes made for a case's attachments, by attachment id with the data they were made
 * from. The user action that added an attachment records the same data in the same form, and converting it a
 * second time (schema check, markdown rendering, marker) was a large share of an export's time; the data is
 * compared in full, so an action that recorded something else is still converted on its own.
 */
export class CaseComments {
  private readonly made = new Map<string, { type: string; data: unknown; attributes: Attributes }>();

  remember(attachmentId: string, type: string, data: unknown, attributes: Attributes): void {
    this.made.set(attachmentId, { type, data, attributes });
  }

  /** The attributes made for this attachment from this very data, if any. */
  recall(attachmentId: string, type: string, data: unknown): Attributes | undefined {
    const made = this.made.get(attachmentId);
    // fast-deep-equal: about a third of the time of util.isDeepStrictEqual for a Slack message's data, and the
    // same answer for data a store read back from JSON (it differs only where JSON writes both alike: -0 and 0).
    return made && made.type === type && equal(made.data, data) ? made.attributes : undefined;
  }
}
