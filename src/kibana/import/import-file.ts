import type { SlackOrigin } from '../../cases/model';
import { slackIdsByProfile } from '../assignees';
import type { AttachmentWithExtras, CaseWithExtras, UserActionWithExtras } from '../extras';
import { CASE_TYPE } from '../saved-objects';
import type { ProfileUids } from '../users';
import { assembleUnits, type DomainUnit } from './assemble';
import { checkObjects } from './check-objects';
import { asNewCopies } from './copies';
import { identifyObjects } from './envelope';
import type { FileChunk } from './lines';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, parseNdjson } from './parse';
import { blocksFile, fileError, type ImportProblem, type ObjectPlace, objectError } from './problems';

/**
 * Kibana's three ways with ids that already exist (reference §5.2): by default a single conflict stops the
 * whole import, nothing written; `overwrite` replaces the existing cases; `create-new-copies` gives every
 * object a new id, so nothing can conflict.
 */
export const IMPORT_MODES = ['stop-on-conflict', 'overwrite', 'create-new-copies'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportOptions {
  /** The importing Slack workspace. */
  teamId: string;
  /** The channel the import was run from: where cases land when the file does not place them (README). */
  origin: SlackOrigin;
  mode?: ImportMode;
  /** The port to the store: which of these case ids already exist. Not called in create-new-copies mode. */
  existingCaseIds: (caseIds: string[]) => Promise<ReadonlySet<string>>;
  /** Slack user id → Kibana profile uid, the same map export uses. */
  profileUids?: ProfileUids;
  limits?: Partial<ImportLimits>;
  /** create-new-copies: derive the new ids from this (the Slack file id) so a repeated import repeats the ids. */
  copySeed?: string;
}

/**
 * One case to write, with everything that belongs to it, atomically: the store writes the case, its
 * attachments and user actions together or not at all. With `overwrite`, the existing case of that id is
 * replaced whole (its old attachments and user actions go).
 */
export interface CaseImportUnit {
  case: CaseWithExtras;
  attachments: AttachmentWithExtras[];
  userActions: UserActionWithExtras[];
  overwrite: boolean;
  /** The file's objects it was made from, with their ids in the file. */
  sources: ObjectPlace[];
}

export interface ImportResult {
  mode: ImportMode;
  /** Empty when the file was refused or (by default) when anything conflicted. */
  units: CaseImportUnit[];
  problems: ImportProblem[];
  /** Objects of the cases types in the file, and the objects of skipped types. */
  found: { cases: number; comments: number; userActions: number; skipped: number };
  /** create-new-copies: `type:id in the file` → new id. */
  newIds: ReadonlyMap<string, string>;
}

/**
 * Reads a Kibana saved-objects export (7.x to 9.x) into caseops cases ready to write. Never throws for
 * anything in the file: every problem is in `problems`, with its line. Only the store port may throw.
 */
export async function importKibanaFile(source: AsyncIterable<FileChunk>, options: ImportOptions): Promise<ImportResult> {
  const mode = options.mode ?? 'stop-on-conflict';
  const parsed = await parseNdjson(source, { ...DEFAULT_IMPORT_LIMITS, ...options.limits });
  const problems = [...parsed.problems];
  const { identified, problems: identityProblems } = identifyObjects(parsed.objects);
  problems.push(...identityProblems);
  const refused = (): ImportResult => ({ mode, units: [], problems, found: { cases: 0, comments: 0, userActions: 0, skipped: 0 }, newIds: new Map() });
  if (problems.some(blocksFile)) return refused();

  const file = checkObjects(identified, problems);
  if (problems.some(blocksFile)) return refused();
  const found = { cases: file.cases.length, comments: file.comments.length, userActions: file.userActions.length, skipped: file.skipped.length };
  const context = { teamId: options.teamId, origin: options.origin, slackIdsByProfile: slackIdsByProfile(options.profileUids ?? new Map()) };
  const units = assembleUnits(file, context, problems);

  if (mode === 'create-new-copies') {
    const copies = asNewCopies(units, options.copySeed);
    return { mode, units: copies.units.map((unit) => ({ ...unit, overwrite: false })), problems, found, newIds: copies.newIds };
  }
  const existing = units.length ? await options.existingCaseIds(units.map((unit) => unit.case.id)) : new Set<string>();
  const conflicting = units.filter((unit) => existing.has(unit.case.id));
  if (mode === 'stop-on-conflict' && conflicting.length) {
    problems.push(...conflicting.map(conflict), conflictsRefusal(conflicting.length));
    return { mode, units: [], problems, found, newIds: new Map() };
  }
  return { mode, units: units.map((unit) => ({ ...unit, overwrite: existing.has(unit.case.id) })), problems, found, newIds: new Map() };
}

function conflict(unit: DomainUnit): ImportProblem {
  const place = unit.sources.find((source) => source.type === CASE_TYPE) ?? { line: 0, type: CASE_TYPE, id: unit.case.id };
  return objectError(place, 'conflict', `A case with this id already exists in caseops ("${unit.case.title}").`);
}

function conflictsRefusal(count: number): ImportProblem {
  return fileError(
    'conflicts',
    `Nothing was imported: ${count} case${count === 1 ? '' : 's'} in the file already exist${count === 1 ? 's' : ''} in caseops. Import again with "overwrite" to replace ${count === 1 ? 'it' : 'them'}, or "create new copies" to keep both.`,
  );
}
