import type { IndicatorNote } from '../case-marker';
import type { AttachmentWithExtras, CaseWithExtras, UserActionWithExtras } from '../extras';
import type { SavedObject } from '../saved-objects';
import { attachmentSavedObjects } from './attachment-objects';
import { caseSavedObject } from './case-object';
import type { ExportContext } from './context';
import { orderLikeKibana } from './ndjson';
import { userActionSavedObject } from './user-action-object';

type Many<T> = AsyncIterable<T> | Iterable<T>;

/** One case to export, with its attachments and user actions (streamed from the store, or arrays). */
export interface CaseExportInput {
  case: CaseWithExtras;
  attachments: Many<AttachmentWithExtras>;
  userActions: Many<UserActionWithExtras>;
}

/**
 * All saved objects of one case, in Kibana's order. One case is held in memory at a time (it is bounded by
 * Kibana's per-case limits); the case object is built last because its totals and its marker depend on the
 * attachments.
 */
export async function caseSavedObjects(input: CaseExportInput, context: ExportContext): Promise<SavedObject[]> {
  const comments: SavedObject[] = [];
  // A Map, not an object: ids come from files too, and "__proto__" is a valid Kibana id.
  const indicators = new Map<string, IndicatorNote>();
  for await (const attachment of input.attachments) {
    comments.push(...attachmentSavedObjects(attachment, context));
    const note = indicatorNote(attachment);
    if (note) indicators.set(attachment.id, note);
  }
  const actions: SavedObject[] = [];
  for await (const action of input.userActions) actions.push(userActionSavedObject(action, context));
  const caseObject = caseSavedObject(input.case, { comments, indicators: Object.fromEntries(indicators) }, context);
  return orderLikeKibana([caseObject, ...comments, ...actions]);
}

/** What an indicator's Kibana form loses: where it came from unless imported, and that it had no document. */
function indicatorNote(attachment: AttachmentWithExtras): IndicatorNote | undefined {
  if (attachment.type !== 'indicator') return undefined;
  const { source, documentId } = attachment.data;
  if (source !== 'message' && source !== 'manual' && source !== 'import') return undefined;
  if (source === 'import' && typeof documentId === 'string') return undefined;
  return { source, documentId: typeof documentId === 'string' ? documentId : null };
}
