import { type AttachmentTotals, emptyTotals } from '../../cases/model';
import type { AttachmentWithExtras, CaseWithExtras, UserActionWithExtras } from '../extras';
import type { CheckedFile, Entry } from './check-objects';
import type { DomainContext } from './context';
import { type ImportProblem, type ObjectPlace, objectError } from './problems';
import type { CaseAttributes, CommentAttributes, UserActionAttributes } from './schemas';
import { attachmentsToDomain } from './to-domain-attachments';
import { caseToDomain } from './to-domain-case';
import { userActionToDomain } from './to-domain-user-actions';

/** A case with its comments and user actions in caseops' form: what the store writes in one go. */
export interface DomainUnit {
  case: CaseWithExtras;
  attachments: AttachmentWithExtras[];
  userActions: UserActionWithExtras[];
  /** The file's objects it was made from (left-out user actions excluded). */
  sources: ObjectPlace[];
}

interface Group {
  entry: Entry<CaseAttributes>;
  comments: Entry<CommentAttributes>[];
  userActions: Entry<UserActionAttributes>[];
}

/**
 * Groups objects by case and converts each complete, valid case. A case is all or nothing: if it or any of
 * its comments or user actions was refused, none of it is returned. A comment or user action whose case is
 * not in the file cannot be stored (caseops has no orphans) and is refused on its own.
 */
export function assembleUnits(file: CheckedFile, context: DomainContext, problems: ImportProblem[]): DomainUnit[] {
  const groups = new Map<string, Group>();
  for (const entry of file.cases) groups.set(entry.place.id, { entry, comments: [], userActions: [] });
  const attach = <A>(entry: Entry<A>, pick: (group: Group) => Entry<A>[]) => {
    const group = entry.caseId === undefined ? undefined : groups.get(entry.caseId);
    if (group) pick(group).push(entry);
    else if (entry.object) problems.push(orphan(entry));
  };
  for (const entry of file.comments) attach(entry, (group) => group.comments);
  for (const entry of file.userActions) attach(entry, (group) => group.userActions);

  const units: DomainUnit[] = [];
  for (const group of groups.values()) {
    const unit = group.entry.object && isComplete(group) ? toUnit(group, context) : undefined;
    if (unit?.unit && !unit.problems.some((problem) => problem.severity === 'error')) {
      problems.push(...unit.problems);
      units.push(unit.unit);
    } else {
      problems.push(...(unit?.problems ?? []), notImported(group));
    }
  }
  return units;
}

function isComplete(group: Group): boolean {
  return [...group.comments, ...group.userActions].every((entry) => entry.object);
}

function toUnit(group: Group, context: DomainContext): { unit?: DomainUnit; problems: ImportProblem[] } {
  try {
    return convert(group, context);
  } catch (error) {
    // A defect, not the file's fault; still, the file must not be able to crash the import.
    return { problems: [objectError(group.entry.place, 'invalid_object', `The case could not be converted (${error instanceof Error ? error.message : String(error)}).`)] };
  }
}

function convert(group: Group, context: DomainContext): { unit: DomainUnit; problems: ImportProblem[] } {
  const caseObject = group.entry.object as NonNullable<Group['entry']['object']>;
  const domainCase = caseToDomain(caseObject, context);
  const comments = group.comments.flatMap((entry) => (entry.object ? [entry.object] : []));
  const { attachments, problems: attachmentProblems } = attachmentsToDomain(comments, caseObject.id, domainCase.indicators, context);
  const commentIds = new Set(comments.map((comment) => comment.id));
  const problems = [...domainCase.problems, ...attachmentProblems];
  const userActions: UserActionWithExtras[] = [];
  const sources: ObjectPlace[] = [group.entry.place, ...group.comments.map((entry) => entry.place)];
  for (const entry of group.userActions) {
    if (!entry.object) continue;
    const converted = userActionToDomain(entry.object, caseObject.id, commentIds, context);
    problems.push(...converted.problems);
    if (converted.action) {
      userActions.push(converted.action);
      sources.push(entry.place);
    }
  }
  return {
    unit: { case: { ...domainCase.case, totals: totalsOf(attachments) }, attachments, userActions, sources },
    problems,
  };
}

function totalsOf(attachments: readonly AttachmentWithExtras[]): AttachmentTotals {
  const totals = emptyTotals();
  for (const attachment of attachments) totals[attachment.type] += 1;
  return totals;
}

function orphan<A>(entry: Entry<A>): ImportProblem {
  const what = entry.place.type === 'cases-comments' ? 'comment' : 'user action';
  const reason =
    entry.caseId === undefined
      ? `It has no "associated-cases" reference, so it belongs to no case`
      : `Its case ${entry.caseId} is not in the file`;
  return objectError(entry.place, 'missing_references', `${reason}; caseops keeps a ${what} only with its case, so it was not imported.`);
}

function notImported(group: Group): ImportProblem {
  const { entry } = group;
  const title = entry.object ? `"${entry.object.attributes.title}" ` : '';
  const children = `${group.comments.length} comment${group.comments.length === 1 ? '' : 's'} and ${group.userActions.length} user action${group.userActions.length === 1 ? '' : 's'}`;
  return objectError(
    entry.place,
    'case_not_imported',
    `Case ${title}was not imported, nor its ${children}: a case is imported whole or not at all, and the problems listed for it and its objects must be fixed first.`,
  );
}
