import type { z } from 'zod';
import { isRecord } from '../records';
import { CASE_REFERENCE_NAME, CASE_TYPE, type CasesSavedObjectType, COMMENT_TYPE, isCasesSavedObjectType, USER_ACTION_TYPE } from '../saved-objects';
import type { CheckedObject } from './checked-object';
import { describeIssues, type IdentifiedObject, readEnvelope } from './envelope';
import { migrateObject } from './migrate';
import { declaredVersion } from './object-version';
import { fileError, type ImportProblem, type ObjectPlace, objectError, warning } from './problems';
import { CaseAttributes, CommentAttributes, commentTypeFields, UserActionAttributes } from './schemas';

/** One object of a cases type: checked, or (no `object`) refused with its problems already recorded. */
export interface Entry<A> {
  place: ObjectPlace;
  /** Its case: its own id for a case, its `associated-cases` reference otherwise (read even when refused). */
  caseId: string | undefined;
  object?: CheckedObject<A>;
}

export interface CheckedFile {
  cases: Entry<CaseAttributes>[];
  comments: Entry<CommentAttributes>[];
  userActions: Entry<UserActionAttributes>[];
  /** Objects of types caseops does not import (connectors, data views…). */
  skipped: ObjectPlace[];
}

const FRIENDLY_TYPE_NAMES: Readonly<Record<string, string>> = {
  action: 'a Kibana connector',
  'index-pattern': 'a data view',
  'cases-attachments': 'a unified case attachment (an unreleased Kibana format)',
};

/**
 * Every identified object through envelope, version, migration and attribute checks. Problems go into
 * `problems`; nothing here throws for file content (an unexpected failure is recorded against its object).
 */
export function checkObjects(identified: readonly IdentifiedObject[], problems: ImportProblem[]): CheckedFile {
  const file: CheckedFile = { cases: [], comments: [], userActions: [], skipped: [] };
  for (const object of identified) {
    const { type } = object;
    if (!isCasesSavedObjectType(type)) {
      file.skipped.push(object);
      const what = FRIENDLY_TYPE_NAMES[type] ?? `a "${type}" saved object`;
      problems.push(warning('unsupported_type', `This is ${what}; caseops imports only cases, their comments and user actions, so it was skipped.`, object));
      continue;
    }
    if (type !== CASE_TYPE && object.value.references !== undefined && !Array.isArray(object.value.references)) {
      // Without readable references it cannot be tied to a case, so no case in the file can be known complete.
      problems.push(fileError('invalid_object', 'Its "references" are not a list, so it cannot be tied to its case.', object.line));
      continue;
    }
    const caseId = type === CASE_TYPE ? object.id : caseReferenceOf(object.value);
    const checked = checkObject(object as IdentifiedObject & { type: CasesSavedObjectType }, problems);
    if (type === CASE_TYPE) file.cases.push({ place: object, caseId, ...(checked ? { object: checked as CheckedObject<CaseAttributes> } : {}) });
    if (type === COMMENT_TYPE) file.comments.push({ place: object, caseId, ...(checked ? { object: checked as CheckedObject<CommentAttributes> } : {}) });
    if (type === USER_ACTION_TYPE) file.userActions.push({ place: object, caseId, ...(checked ? { object: checked as CheckedObject<UserActionAttributes> } : {}) });
  }
  return file;
}

function checkObject(object: IdentifiedObject & { type: CasesSavedObjectType }, problems: ImportProblem[]): CheckedObject<unknown> | undefined {
  try {
    const read = readEnvelope(object);
    if ('problem' in read) return refuse(problems, read.problem);
    const version = declaredVersion(object, read.envelope);
    if ('problem' in version) return refuse(problems, version.problem);
    if (version.version === undefined) {
      problems.push(warning('no_version', 'It declares no migration version, so every Kibana migration since 7.10 was run on it, as Kibana does (its owner, connector and settings are reset).', object));
    }
    const notes: string[] = [];
    const migrated = migrateObject(object.type, read.envelope, version.version, notes);
    for (const note of notes) problems.push(warning('value_defaulted', `When migrating it, ${note}.`, object));
    const attributes = validateAttributes(object.type, migrated.attributes);
    if (!attributes.success) {
      return refuse(problems, objectError(object, 'invalid_attributes', `Its attributes are not what Kibana stores for ${object.type}: ${describeIssues(attributes.error, 'attributes')}.`));
    }
    return { line: object.line, type: object.type, id: object.id, attributes: attributes.data, references: migrated.references, version: migrated.version };
  } catch (error) {
    return refuse(problems, objectError(object, 'invalid_object', `It could not be read (${error instanceof Error ? error.message : String(error)}).`));
  }
}

function refuse(problems: ImportProblem[], problem: ImportProblem): undefined {
  problems.push(problem);
  return undefined;
}

function validateAttributes(type: CasesSavedObjectType, attributes: unknown): z.ZodSafeParseResult<unknown> {
  if (type === CASE_TYPE) return CaseAttributes.safeParse(attributes);
  if (type === USER_ACTION_TYPE) return UserActionAttributes.safeParse(attributes);
  const base = CommentAttributes.safeParse(attributes);
  const specific = base.success ? commentTypeFields(base.data.type) : undefined;
  if (!specific) return base;
  const fields = specific.safeParse(attributes);
  return fields.success ? base : fields;
}

/** Read defensively from the raw object: it may have failed every other check. */
function caseReferenceOf(value: Record<string, unknown>): string | undefined {
  const references: unknown[] = Array.isArray(value.references) ? value.references : [];
  const reference = references.find((candidate: unknown) => isRecord(candidate) && candidate.name === CASE_REFERENCE_NAME && candidate.type === CASE_TYPE);
  return isRecord(reference) && typeof reference.id === 'string' ? reference.id : undefined;
}
