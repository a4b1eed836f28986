import { CASE_TYPE, COMMENT_TYPE, USER_ACTION_TYPE } from '../saved-objects';
import type { ImportResult } from './import-file';
import { blocksFile, type ImportProblem } from './problems';

export interface KindCount {
  inFile: number;
  /** In the units returned for writing. */
  ready: number;
  notImported: number;
}

export interface ImportSummary {
  /** The whole file was refused (a file-level problem): nothing is ready. */
  refused: boolean;
  cases: KindCount;
  comments: KindCount;
  userActions: KindCount;
  /** Objects of types caseops does not import. */
  skipped: number;
  errors: number;
  warnings: number;
}

export function summarizeImport(result: ImportResult): ImportSummary {
  const ready = (type: string) => result.units.reduce((sum, unit) => sum + unit.sources.filter((source) => source.type === type).length, 0);
  const count = (inFile: number, type: string): KindCount => ({ inFile, ready: ready(type), notImported: inFile - ready(type) });
  return {
    refused: result.problems.some(blocksFile),
    cases: count(result.found.cases, CASE_TYPE),
    comments: count(result.found.comments, COMMENT_TYPE),
    userActions: count(result.found.userActions, USER_ACTION_TYPE),
    skipped: result.found.skipped,
    errors: result.problems.filter((problem) => problem.severity === 'error').length,
    warnings: result.problems.filter((problem) => problem.severity === 'warning').length,
  };
}

const MODE_NAMES: Readonly<Record<ImportResult['mode'], string>> = {
  'stop-on-conflict': 'stop if any case exists',
  overwrite: 'overwrite existing cases',
  'create-new-copies': 'create new copies',
};

/**
 * The import log as plain text an analyst can act on: what the file held, what is ready to import and
 * what is not, then every problem with its line, object and reason, errors first.
 */
export function renderImportLog(result: ImportResult): string {
  const summary = summarizeImport(result);
  const lines = [
    `Kibana import (${MODE_NAMES[result.mode]}): ${headline(summary, result)}`,
  ];
  if (!summary.refused) {
    lines.push(
      `In the file: ${counts(summary, 'inFile')}${summary.skipped ? `, and ${plural(summary.skipped, 'other object')} skipped` : ''}.`,
      `Ready to import: ${counts(summary, 'ready')}.`,
    );
    if (summary.cases.notImported + summary.comments.notImported + summary.userActions.notImported) {
      lines.push(`Not imported: ${counts(summary, 'notImported')}.`);
    }
  }
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  const warnings = result.problems.filter((problem) => problem.severity === 'warning');
  if (errors.length) lines.push('', `Problems (${errors.length}):`, ...errors.map(describeProblem));
  if (warnings.length) lines.push('', `Notes (${warnings.length}):`, ...warnings.map(describeProblem));
  return lines.join('\n');
}

function headline(summary: ImportSummary, result: ImportResult): string {
  if (summary.refused) return 'the file was refused; nothing was imported.';
  if (!result.units.length) return 'nothing to import.';
  const replaced = result.units.filter((unit) => unit.overwrite).length;
  return `${plural(result.units.length, 'case')} ready to import${replaced ? ` (${replaced} replacing existing ones)` : ''}.`;
}

function counts(summary: ImportSummary, key: keyof KindCount): string {
  return [plural(summary.cases[key], 'case'), plural(summary.comments[key], 'comment'), plural(summary.userActions[key], 'user action')].join(', ');
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

export function describeProblem(problem: ImportProblem): string {
  const where = [problem.line === undefined ? undefined : `line ${problem.line}`, problem.type && problem.id ? `${problem.type} ${problem.id}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `• ${where ? `${where}: ` : ''}${problem.message}`;
}

/** Kibana's error types; every other caseops problem is Kibana's catch-all `unknown`. */
const KIBANA_ERROR_TYPES: ReadonlySet<string> = new Set(['conflict', 'unsupported_type', 'missing_references']);

/**
 * The result in the shape of Kibana's `_import` response (reference §5.2), for those who know it: a 400
 * body when the file was refused, otherwise successResults (what is ready, with `overwrite` or the new id)
 * and errors per object.
 */
export function kibanaImportResponse(result: ImportResult): Record<string, unknown> {
  const fileProblem = result.problems.find(blocksFile);
  if (fileProblem) return { statusCode: 400, error: 'Bad Request', message: fileProblem.message };
  const titles = new Map(result.units.map((unit) => [unit.case.id, unit.case.title]));
  const successResults = result.units.flatMap((unit) =>
    unit.sources.map((source) => {
      const destinationId = result.newIds.get(`${source.type}:${source.id}`);
      const title = source.type === CASE_TYPE ? titles.get(destinationId ?? source.id) : undefined;
      return {
        type: source.type,
        id: source.id,
        meta: title === undefined ? {} : { title },
        ...(unit.overwrite ? { overwrite: true } : {}),
        ...(destinationId ? { destinationId, createNewCopy: true } : {}),
      };
    }),
  );
  const errors = result.problems
    .filter((problem) => (problem.severity === 'error' || problem.code === 'unsupported_type') && problem.type && problem.id)
    .map((problem) => ({ type: problem.type, id: problem.id, meta: {}, error: kibanaError(problem) }));
  return {
    success: errors.length === 0,
    successCount: successResults.length,
    ...(successResults.length ? { successResults } : {}),
    ...(errors.length ? { errors } : {}),
    warnings: [],
  };
}

function kibanaError(problem: ImportProblem): Record<string, unknown> {
  if (!KIBANA_ERROR_TYPES.has(problem.code)) return { type: 'unknown', message: problem.message, statusCode: 400 };
  return { type: problem.code, ...(problem.code === 'unsupported_type' ? {} : { message: problem.message }) };
}
