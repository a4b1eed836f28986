import { randomUUID } from 'node:crypto';
import { deterministicId } from '../../cases/ids';
import type { KibanaExtras } from '../extras';
import { isRecord } from '../records';
import { CASE_TYPE, COMMENT_TYPE, type SavedObjectReference, USER_ACTION_TYPE } from '../saved-objects';
import type { DomainUnit } from './assemble';

/**
 * "Create new copies", as Kibana does it: every imported object gets a new id and every reference between
 * imported objects follows it (a case's comments and user actions, a user action's comment, an unknown
 * attachment's references); references to objects outside the file (connectors) are left alone. With a
 * seed (say, the Slack file id) the new ids are derived from it, so importing the same upload again, after
 * a retried Slack event, makes the same copies rather than more. `newIds` maps `type:oldId` to the new id.
 */
export function asNewCopies(units: readonly DomainUnit[], seed?: string): { units: DomainUnit[]; newIds: ReadonlyMap<string, string> } {
  const ids = new Map<string, string>();
  const assign = (type: string, id: string): void => {
    ids.set(`${type}:${id}`, seed ? deterministicId('kibana-import-copy', seed, type, id) : randomUUID());
  };
  for (const unit of units) {
    assign(CASE_TYPE, unit.case.id);
    for (const attachment of unit.attachments) assign(COMMENT_TYPE, attachment.id);
    for (const action of unit.userActions) assign(USER_ACTION_TYPE, action.id);
  }
  const newId = (type: string, id: string): string => ids.get(`${type}:${id}`) ?? id;
  const remap = (references: readonly SavedObjectReference[]) => references.map((reference) => ({ ...reference, id: newId(reference.type, reference.id) }));
  const remapExtras = (kibana: KibanaExtras | undefined) => kibana && { ...kibana, ...(kibana.references ? { references: remap(kibana.references) } : {}) };

  const copies = units.map((unit) => {
    const caseId = newId(CASE_TYPE, unit.case.id);
    return {
      sources: unit.sources,
      case: { ...unit.case, id: caseId, ...optional('kibana', remapExtras(unit.case.kibana)) },
      attachments: unit.attachments.map((attachment) => {
        const id = newId(COMMENT_TYPE, attachment.id);
        const savedObject = attachment.type === 'unknown' && isRecord(attachment.data.savedObject) ? attachment.data.savedObject : undefined;
        const data = savedObject
          ? { ...attachment.data, savedObject: { ...savedObject, id, references: remap(Array.isArray(savedObject.references) ? savedObject.references : []) } }
          : attachment.data;
        return { ...attachment, id, caseId, data, ...optional('kibana', remapExtras(attachment.kibana)) };
      }),
      userActions: unit.userActions.map((action) => ({
        ...action,
        id: newId(USER_ACTION_TYPE, action.id),
        caseId,
        ...(action.attachmentId ? { attachmentId: newId(COMMENT_TYPE, action.attachmentId) } : {}),
        ...optional('kibana', remapExtras(action.kibana)),
      })),
    };
  });
  return { units: copies, newIds: ids };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
