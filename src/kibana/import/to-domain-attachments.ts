import { AlertData, type EventData, IndicatorData } from '../../cases/attachments';
import type { AttachmentType } from '../../cases/model';
import type { IndicatorNote } from '../case-marker';
import { type AttachmentWithExtras, extrasOf } from '../extras';
import { indicatorTypeFromKibana, MISSING_METADATA_VALUE } from '../indicators';
import { readMarkedComment } from '../marked-comments';
import { isRecord } from '../records';
import { CASE_REFERENCE_NAME, CASE_TYPE, COMMENT_TYPE } from '../saved-objects';
import { stableStringify } from '../stable-json';
import { kibanaUserToActor } from '../users';
import { type CheckedObject, takeReference, unconsumedAttributes } from './checked-object';
import type { DomainContext } from './context';
import { type ImportProblem, warning } from './problems';
import type { CommentAttributes } from './schemas';

type Comment = CheckedObject<CommentAttributes>;

/** What every comment has; consumed by every mapping. */
const METADATA = ['type', 'owner', 'created_at', 'created_by', 'updated_at', 'updated_by'];
/** Written by export when the comment was never pushed to an external system. */
const EXPORT_DEFAULTS = { pushed_at: null, pushed_by: null };

/** A comment's caseops form: the attachment type, its data, and the Kibana attributes that data accounts for. */
interface Mapped {
  type: AttachmentType;
  data: Record<string, unknown>;
  consumed: readonly string[];
}

/**
 * A case's Kibana comments as caseops attachments. A comment becomes a modelled type only when exporting
 * it again gives back exactly what Kibana stored (so a 2-id alert, an indicator with extra metadata or a
 * Kibana event with no Slack snapshot stay `unknown`, verbatim); caseops' marked comments come back as
 * the events, Timelines and charts they were, and an event snapshot rejoins the Kibana event attachment it
 * was written next to.
 */
export function attachmentsToDomain(
  comments: readonly Comment[],
  caseId: string,
  indicatorNotes: Readonly<Record<string, IndicatorNote>>,
  context: DomainContext,
): { attachments: AttachmentWithExtras[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const snapshots = new Map<string, { comment: Comment; event: EventData }>();
  const kibanaEvents: Comment[] = [];
  const mapped: { comment: Comment; mapping: Mapped }[] = [];

  for (const comment of comments) {
    const marked = comment.attributes.type === 'user' ? readMarkedComment(String(comment.attributes.comment)) : undefined;
    if (marked?.kind === 'event' && marked.of) {
      snapshots.set(marked.of, { comment, event: marked.data });
    } else if (comment.attributes.type === 'event') {
      kibanaEvents.push(comment);
    } else {
      if (!marked && comment.attributes.type === 'user' && String(comment.attributes.comment).includes('<!-- caseops ')) {
        problems.push(warning('damaged_marker', 'This caseops comment was changed in Kibana; it was imported as a plain comment with its current text.', comment));
      }
      mapped.push({ comment, mapping: marked ? markedMapping(marked) : (modelledMapping(comment, indicatorNotes) ?? unknownMapping(comment)) });
    }
  }
  for (const event of kibanaEvents) {
    const snapshot = snapshots.get(event.id);
    const document = snapshot?.event.document;
    if (snapshot && document && document.id === event.attributes.eventId && document.index === event.attributes.index) {
      snapshots.delete(event.id);
      mapped.push({ comment: event, mapping: { type: 'event', data: snapshot.event, consumed: [...METADATA, 'eventId', 'index'] } });
    } else {
      mapped.push({ comment: event, mapping: unknownMapping(event) });
    }
  }
  // A snapshot whose Kibana event is gone (or differs) still holds the whole message: it stands on its own.
  for (const { comment, event } of snapshots.values()) mapped.push({ comment, mapping: { type: 'event', data: event, consumed: [...METADATA, 'comment'] } });

  const attachments = mapped
    .sort((a, b) => a.comment.line - b.comment.line)
    .map(({ comment, mapping }) => toAttachment(comment, mapping, caseId, context));
  return { attachments, problems };
}

function markedMapping(marked: NonNullable<ReturnType<typeof readMarkedComment>>): Mapped {
  return { type: marked.kind, data: marked.data as Record<string, unknown>, consumed: [...METADATA, 'comment'] };
}

function modelledMapping(comment: Comment, indicatorNotes: Readonly<Record<string, IndicatorNote>>): Mapped | undefined {
  const { attributes } = comment;
  switch (attributes.type) {
    case 'user':
      return { type: 'user', data: { comment: attributes.comment }, consumed: [...METADATA, 'comment'] };
    case 'alert':
      return alertMapping(attributes);
    case 'externalReference':
      return indicatorMapping(comment, Object.hasOwn(indicatorNotes, comment.id) ? indicatorNotes[comment.id] : undefined);
    default:
      return undefined;
  }
}

function alertMapping(attributes: CommentAttributes): Mapped | undefined {
  const { rule } = attributes;
  const exactRule = isRecord(rule) && stableStringify(Object.keys(rule).sort()) === '["id","name"]';
  const alert = AlertData.safeParse({ alertId: attributes.alertId, index: attributes.index, rule });
  if (!exactRule || !alert.success) return undefined;
  return { type: 'alert', data: alert.data, consumed: [...METADATA, 'alertId', 'index', 'rule'] };
}

function indicatorMapping(comment: Comment, note: IndicatorNote | undefined): Mapped | undefined {
  const { attributes } = comment;
  const metadata = attributes.externalReferenceMetadata;
  if (
    attributes.externalReferenceAttachmentTypeId !== 'indicator' ||
    stableStringify(attributes.externalReferenceStorage) !== stableStringify({ type: 'elasticSearchDoc' }) ||
    typeof attributes.externalReferenceId !== 'string' ||
    !isRecord(metadata) ||
    stableStringify(Object.keys(metadata).sort()) !== '["indicatorFeedName","indicatorName","indicatorType"]' ||
    typeof metadata.indicatorName !== 'string' ||
    typeof metadata.indicatorType !== 'string' ||
    typeof metadata.indicatorFeedName !== 'string'
  ) {
    return undefined;
  }
  const indicator = IndicatorData.safeParse({
    value: metadata.indicatorName,
    type: indicatorTypeFromKibana(metadata.indicatorType, metadata.indicatorName),
    feedName: metadata.indicatorFeedName === MISSING_METADATA_VALUE ? null : metadata.indicatorFeedName,
    // A caseops indicator without a document was exported under its own attachment id; its note says so.
    documentId: note ? note.documentId : attributes.externalReferenceId,
    source: note?.source ?? 'import',
  });
  if (!indicator.success || (indicator.data.documentId ?? comment.id) !== attributes.externalReferenceId) return undefined;
  const consumed = [...METADATA, 'externalReferenceAttachmentTypeId', 'externalReferenceId', 'externalReferenceMetadata', 'externalReferenceStorage'];
  return { type: 'indicator', data: indicator.data, consumed };
}

function unknownMapping(comment: Comment): Mapped {
  const savedObject = {
    type: COMMENT_TYPE,
    id: comment.id,
    attributes: comment.attributes,
    references: comment.references,
    typeMigrationVersion: comment.version,
  };
  return { type: 'unknown', data: { savedObject }, consumed: [...METADATA, ...Object.keys(comment.attributes)] };
}

function toAttachment(comment: Comment, mapping: Mapped, caseId: string, context: DomainContext): AttachmentWithExtras {
  const { attributes } = comment;
  const actor = (user: Record<string, string | null>) => kibanaUserToActor(user, context.teamId);
  const kept = unconsumedAttributes(attributes, mapping.consumed, EXPORT_DEFAULTS);
  const references = mapping.type === 'unknown' ? [] : takeReference(comment.references, CASE_REFERENCE_NAME, CASE_TYPE).rest;
  const kibana = extrasOf(kept, references);
  return {
    id: comment.id,
    caseId,
    type: mapping.type,
    data: mapping.data,
    createdAt: attributes.created_at,
    createdBy: actor(attributes.created_by),
    updatedAt: attributes.updated_at ?? null,
    updatedBy: attributes.updated_by ? actor(attributes.updated_by) : null,
    owner: attributes.owner,
    ...(kibana ? { kibana } : {}),
  };
}
