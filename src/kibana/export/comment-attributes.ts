import type { TypedAttachmentData } from '../attachment-data';
import { isKibanaEvent } from '../attachment-data';
import { indicatorTypeToKibana, MISSING_METADATA_VALUE } from '../indicators';
import { writeMarkedComment } from '../marked-comments';
import type { Attributes } from '../saved-objects';
import type { TargetProfile } from './versions';

/**
 * The type-specific attributes of the Kibana comment a caseops attachment becomes — Kibana's attachment
 * request shape without `owner`. Used for the `cases-comments` object and for the `comment` payload of the
 * user action that added it, so both always agree. `unknown` attachments are not converted: they are
 * written as the saved object they were.
 */
export function kibanaCommentAttributes(
  attachment: Exclude<TypedAttachmentData, { type: 'unknown' }>,
  attachmentId: string,
  profile: TargetProfile,
): Attributes {
  switch (attachment.type) {
    case 'user':
      return { type: 'user', comment: attachment.data.comment };
    case 'alert':
      return { type: 'alert', alertId: attachment.data.alertId, index: attachment.data.index, rule: attachment.data.rule };
    case 'indicator': {
      const indicator = attachment.data;
      return {
        type: 'externalReference',
        externalReferenceAttachmentTypeId: 'indicator',
        // Kibana's threat-intel flyout looks the indicator up by this id; without a document any stable id will do.
        externalReferenceId: indicator.documentId ?? attachmentId,
        externalReferenceMetadata: {
          indicatorFeedName: indicator.feedName ?? MISSING_METADATA_VALUE,
          indicatorName: indicator.value,
          indicatorType: indicatorTypeToKibana(indicator.type),
        },
        externalReferenceStorage: { type: 'elasticSearchDoc' },
      };
    }
    case 'timeline':
      return { type: 'user', comment: writeMarkedComment({ kind: 'timeline', data: attachment.data }) };
    case 'visualization':
      return { type: 'user', comment: writeMarkedComment({ kind: 'visualization', data: attachment.data }) };
    case 'event':
      return isKibanaEvent(attachment.data, profile.eventAttachments)
        ? { type: 'event', eventId: attachment.data.document.id, index: attachment.data.document.index }
        : { type: 'user', comment: writeMarkedComment({ kind: 'event', data: attachment.data }) };
  }
}
