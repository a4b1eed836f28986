import type { IndicatorNote } from '../case-marker';
import type { AttachmentWithExtras, CaseWithExtras, UserActionWithExtras } from '../extras';
import type { SavedObject } from '../saved-objects';
import { attachmentSavedObjects } from './attachment-objects';
import { caseSavedObject } from './case-object';
import { CaseUsers } from './case-users';
import { CaseComments } from './comment-attributes';
import type { CaseExportContext, ExportContext } from './context';
import type { KeyOrder } from './key-order';
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
 * All saved objects of one case, in Kibana's order, built for `keyOrder` to write (key-order.ts). One case is
 * held in memory at a time (it is bounded by Kibana's per-case limits); the case object is built last because
 * its totals and its marker depend on the attachments.
 */
export async function caseSavedObjects(input: CaseExportInput, exportContext: ExportContext, keyOrder: KeyOrder): Promise<SavedObject[]> {
  const context = caseExportContext(exportContext, keyOrder);
  const comments: SavedObject[] = [];
  // A Map, not an object: ids come from files too, and "__proto__" is a valid Kibana id.
  const indicators = new Map<string, IndicatorNote>();
  const attachments = Array.isArray(input.attachments) ? input.attachments : await readAll(input.attachments);
  for (const attachment of attachments) {
    for (const object of attachmentSavedObjects(attachment, context)) comments.push(object);
    const note = indicatorNote(attachment);
    if (note) indicators.set(attachment.id, note);
  }
  const userActions = Array.isArray(input.userActions) ? input.userActions : await readAll(input.userActions);
  const actions = userActions.map((action) => userActionSavedObject(action, context));
  const caseObject = caseSavedObject(input.case, { comments, indicators }, context);
  return orderLikeKibana([caseObject, ...comments, ...actions]);
}

/**
 * The export's context with this case's comments, users and key order. Written member by member: V8 (in Node 20)
 * is slow to add members after a spread, and `{...exportContext, comments, …}` took about 4 µs for each case.
 */
function caseExportContext(exportContext: ExportContext, keyOrder: KeyOrder): CaseExportContext {
  const { profile, profileUids, warn } = exportContext;
  return { profile, profileUids, warn, comments: new CaseComments(), users: new CaseUsers(profileUids, keyOrder), keyOrder };
}

/**
 * A stream of a case's children read to its end (they are bounded by Kibana's per-case limits). Arrays are
 * used as they are, without an await: `for await` over an array would wait a microtask per item, and even
 * one await per list is a visible share of an export's time when the store hands over arrays.
 */
async function readAll<T>(many: AsyncIterable<T> | Iterable<T>): Promise<readonly T[]> {
  const items: T[] = [];
  for await (const item of many) items.push(item);
  return items;
}

/** What an indicator's Kibana form loses: where it came from unless imported, and that it had no document. */
function indicatorNote(attachment: AttachmentWithExtras): IndicatorNote | undefined {
  if (attachment.type !== 'indicator') return undefined;
  const { source, documentId } = attachment.data;
  if (source !== 'message' && source !== 'manual' && source !== 'import') return undefined;
  if (source === 'import' && typeof documentId === 'string') return undefined;
  return { documentId: typeof documentId === 'string' ? documentId : null, source };
}
