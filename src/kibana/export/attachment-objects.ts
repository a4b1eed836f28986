import type { UnknownData } from '../../cases/attachments';
import { deterministicId } from '../../cases/ids';
import { isKibanaEvent, typedAttachmentData } from '../attachment-data';
import type { AttachmentWithExtras } from '../extras';
import { writeMarkedComment } from '../marked-comments';
import { isRecord } from '../records';
import {
  type Attributes,
  CASE_REFERENCE_NAME,
  CASE_TYPE,
  COMMENT_TYPE,
  caseReference,
  type SavedObject,
  type SavedObjectReference,
} from '../saved-objects';
import { compareVersions, isVersion } from '../semver';
import { mergeInKeyOrder, withKeptAttributes } from './attribute-order';
import { kibanaCommentAttributes } from './comment-attributes';
import type { CaseExportContext, ExportContext } from './context';
import { envelope } from './envelope';

/**
 * A caseops attachment as the `cases-comments` object(s) Kibana stores for it: one object, or two for a
 * Slack message exported as Kibana's own event attachment (the event, plus a `user` comment quoting the
 * message and carrying its snapshot, since the event attachment has no place for it). Invalid data is
 * reported and the attachment skipped rather than exported wrong.
 */
export function attachmentSavedObjects(attachment: AttachmentWithExtras, context: CaseExportContext): SavedObject[] {
  const typed = typedAttachmentData(attachment.type, attachment.data);
  if (!typed) {
    context.warn({ caseId: attachment.caseId, objectId: attachment.id, message: `the ${attachment.type} attachment has invalid data and was not exported` });
    return [];
  }
  if (typed.type === 'unknown') return [unknownSavedObject(attachment, typed.data, context)];

  const metadata = commentMetadata(attachment, context);
  const commentAttributes = kibanaCommentAttributes(typed, attachment.id, context.profile);
  context.comments.remember(attachment.id, attachment.type, attachment.data, commentAttributes);
  const objects = [commentObject(attachment, mergeInKeyOrder(metadata, commentAttributes), context.keyOrder.ordered(attachment.kibana?.references ?? []), context)];
  if (typed.type === 'event' && isKibanaEvent(typed.data, context.profile.eventAttachments)) {
    const snapshot = writeMarkedComment({ kind: 'event', data: typed.data, of: attachment.id });
    objects.push(commentObject({ ...attachment, id: eventSnapshotId(attachment.id) }, mergeInKeyOrder(metadata, { comment: snapshot, type: 'user' }), [], context));
  }
  return objects;
}

/** The id of the quote comment that carries an event attachment's Slack snapshot: derived, so re-exports agree. */
function eventSnapshotId(attachmentId: string): string {
  return deterministicId('caseops-event-snapshot', attachmentId);
}

/** Attributes the conversion writes only when the comment had none from Kibana (imported comments keep theirs). */
const COMMENT_DEFAULTS = ['pushed_at', 'pushed_by'];

function commentMetadata(attachment: AttachmentWithExtras, context: CaseExportContext): Attributes {
  const { keyOrder } = context;
  // In sorted key order (attribute-order.ts).
  const built: Attributes = {
    created_at: attachment.createdAt,
    created_by: context.users.of(attachment.createdBy),
    owner: attachment.owner,
    pushed_at: null,
    pushed_by: null,
    updated_at: attachment.updatedAt,
    updated_by: attachment.updatedBy && context.users.of(attachment.updatedBy),
  };
  return withKeptAttributes(built, attachment.kibana?.attributes, keyOrder, COMMENT_DEFAULTS);
}

function commentObject(
  attachment: Pick<AttachmentWithExtras, 'id' | 'caseId' | 'createdAt' | 'updatedAt'>,
  attributes: Attributes,
  extraReferences: SavedObjectReference[],
  context: CaseExportContext,
): SavedObject {
  return envelope(
    {
      type: COMMENT_TYPE,
      id: attachment.id,
      attributes,
      references: [caseReference(attachment.caseId), ...extraReferences],
      declaredVersion: context.profile.declaredVersions[COMMENT_TYPE],
      createdAt: attachment.createdAt,
      updatedAt: attachment.updatedAt ?? attachment.createdAt,
    },
    context.profile,
  );
}

/**
 * A Kibana attachment caseops does not model goes back as the saved object it was, at the version it was
 * stored in, under its (possibly re-numbered) case. If the target Kibana lacks its attachment type, it is
 * written as a marked comment instead, which caseops' import turns back into the same saved object. One
 * stored by a newer Kibana than the target is written as it is, with a warning: the target may refuse it.
 */
function unknownSavedObject(attachment: AttachmentWithExtras, unknown: UnknownData, context: CaseExportContext): SavedObject {
  const stored = unknown.savedObject;
  const attributes = isRecord(stored.attributes) ? context.keyOrder.ordered(stored.attributes) : {};
  const references = (Array.isArray(stored.references) ? (stored.references as SavedObjectReference[]) : []).map((reference) =>
    reference.name === CASE_REFERENCE_NAME && reference.type === CASE_TYPE ? caseReference(attachment.caseId) : reference,
  );
  if (attributes.type === 'event' && !context.profile.eventAttachments) {
    context.warn({
      caseId: attachment.caseId,
      objectId: attachment.id,
      message: `Kibana ${context.profile.target} has no event attachments; this one is exported as a comment describing it`,
    });
    const comment = writeMarkedComment({ kind: 'unknown', data: unknown });
    const asComment = { ...pick(attributes, METADATA_KEYS), type: 'user', comment, owner: attachment.owner };
    return commentObject(attachment, context.keyOrder.ordered(asComment), [], context);
  }
  const targetVersion = context.profile.declaredVersions[COMMENT_TYPE];
  const storedVersion = typeof stored.typeMigrationVersion === 'string' && isVersion(stored.typeMigrationVersion) ? stored.typeMigrationVersion : targetVersion;
  if (isNewerThanTarget(storedVersion, context)) {
    context.warn({
      caseId: attachment.caseId,
      objectId: attachment.id,
      message: `this ${String(attributes.type)} attachment was stored by a newer Kibana (${storedVersion}); Kibana ${context.profile.target} may refuse it`,
    });
  }
  return envelope(
    {
      type: COMMENT_TYPE,
      id: attachment.id,
      attributes,
      references: context.keyOrder.ordered(references),
      declaredVersion: storedVersion,
      createdAt: attachment.createdAt,
      updatedAt: attachment.updatedAt ?? attachment.createdAt,
    },
    context.profile,
  );
}

/** Certainly unknown to the target: a legacy version after its release, or a model version before it had any. */
function isNewerThanTarget(version: string, context: ExportContext): boolean {
  const modelVersion = compareVersions(version, '10.0.0') >= 0;
  return modelVersion ? !context.profile.eventAttachments : compareVersions(version, context.profile.release) > 0;
}

const METADATA_KEYS = ['created_at', 'created_by', 'pushed_at', 'pushed_by', 'updated_at', 'updated_by'] as const;

function pick(record: Attributes, keys: readonly string[]): Attributes {
  return Object.fromEntries(keys.filter((key) => key in record).map((key) => [key, record[key]]));
}
