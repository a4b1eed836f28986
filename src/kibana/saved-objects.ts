/**
 * Kibana's saved-object vocabulary for cases (reference/kibana-cases.md §1, §5): type and reference names,
 * the stored User shape and the export-line envelope. Shared by export and import.
 */

export const CASE_TYPE = 'cases';
export const COMMENT_TYPE = 'cases-comments';
export const USER_ACTION_TYPE = 'cases-user-actions';
export const CASES_SAVED_OBJECT_TYPES = [CASE_TYPE, COMMENT_TYPE, USER_ACTION_TYPE] as const;
export type CasesSavedObjectType = (typeof CASES_SAVED_OBJECT_TYPES)[number];

export function isCasesSavedObjectType(type: string): type is CasesSavedObjectType {
  return (CASES_SAVED_OBJECT_TYPES as readonly string[]).includes(type);
}

/** Every comment and user action points at its case with this reference. */
export const CASE_REFERENCE_NAME = 'associated-cases';
/** Comment user actions point at their comment with this reference. */
export const COMMENT_REFERENCE_NAME = 'associated-cases-comments';

export interface SavedObjectReference {
  id: string;
  name: string;
  type: string;
}

export type Attributes = Record<string, unknown>;

/** Kibana's stored user (`created_by`, `closed_by`, …). Values may be null in real exports. */
export interface KibanaUser {
  username: string | null;
  full_name: string | null;
  email: string | null;
  profile_uid?: string;
}

/**
 * One object line of an export. Envelope fields Kibana's import ignores (`version`, `score`, `sort`,
 * `namespaces`, `originId`) are not modelled: we neither keep nor write them.
 */
export interface SavedObject {
  id: string;
  type: string;
  attributes: Attributes;
  references: SavedObjectReference[];
  coreMigrationVersion?: string;
  typeMigrationVersion?: string;
  migrationVersion?: Record<string, string>;
  managed?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** The "no connector" connector as Kibana stores it on a case; its id is implied (no reference). */
export const NONE_CONNECTOR = { fields: null, name: 'none', type: '.none' } as const;

export function caseReference(caseId: string): SavedObjectReference {
  return { id: caseId, name: CASE_REFERENCE_NAME, type: CASE_TYPE };
}

export function commentReference(commentId: string): SavedObjectReference {
  return { id: commentId, name: COMMENT_REFERENCE_NAME, type: COMMENT_TYPE };
}
