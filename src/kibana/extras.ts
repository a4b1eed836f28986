import type { Attachment, Case, UserAction } from '../cases/model';
import type { Attributes, SavedObjectReference } from './saved-objects';

/**
 * What Kibana stored on an object that caseops' domain does not model (a Jira connector and its push
 * record, custom fields, pushed_at on a comment, Lens index-pattern references, attributes of newer Kibana
 * versions…), kept verbatim so the object exports exactly as it was imported. Attributes here are in the
 * stored shape of the version the export declares; references are those other than the parent links
 * (`associated-cases`, `associated-cases-comments`), which are rebuilt from the domain.
 *
 * It rides on the domain object as `kibana`; the SQLite store keeps whole documents as JSON, so it survives
 * storage, but the domain model does not declare it yet (see src/kibana/README.md).
 */
export interface KibanaExtras {
  attributes?: Attributes;
  references?: SavedObjectReference[];
}

/** A case as export reads it and import produces it: no number or version (the store owns those). */
export type CaseWithExtras = Omit<Case, 'number' | 'version'> & { kibana?: KibanaExtras };
export type AttachmentWithExtras = Attachment & { kibana?: KibanaExtras };
export type UserActionWithExtras = UserAction & { kibana?: KibanaExtras };

/** Extras worth keeping: none when both parts are empty, so domain objects stay clean. */
export function extrasOf(attributes: Attributes, references: SavedObjectReference[]): KibanaExtras | undefined {
  const hasAttributes = Object.keys(attributes).length > 0;
  if (!hasAttributes && references.length === 0) return undefined;
  return { ...(hasAttributes ? { attributes } : {}), ...(references.length ? { references } : {}) };
}
