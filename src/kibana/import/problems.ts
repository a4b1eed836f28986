/**
 * What the importer found wrong or noteworthy, each with where (line, object) and a plain-language reason
 * an analyst can act on. Codes follow Kibana's import errors where there is one (`unsupported_type`,
 * `missing_references`, `conflict`) and caseops' own words otherwise.
 */
export type ProblemCode =
  // the file as a whole: nothing in it is imported
  | 'too_large'
  | 'too_many_objects'
  | 'not_ndjson'
  | 'not_utf8'
  | 'invalid_json'
  | 'not_an_object'
  | 'forbidden_key'
  | 'too_deep'
  | 'missing_id_or_type'
  | 'duplicate_object'
  | 'no_objects'
  | 'conflicts'
  // one object (and the case it belongs to)
  | 'invalid_object'
  | 'newer_version'
  | 'invalid_attributes'
  | 'missing_references'
  | 'case_not_imported'
  | 'conflict'
  | 'unsupported_type'
  // notes
  | 'summary_mismatch'
  | 'no_summary'
  | 'no_version'
  | 'value_defaulted'
  | 'missing_comment'
  | 'unknown_user_action'
  | 'other_workspace'
  | 'damaged_marker';

export interface ImportProblem {
  severity: 'error' | 'warning';
  /** `file`: the whole file is refused. `object`: this object (and, through it, its case) is. */
  scope: 'file' | 'object';
  code: ProblemCode;
  message: string;
  line?: number;
  type?: string;
  id?: string;
}

/** Where an object is, for problems about it. */
export interface ObjectPlace {
  line: number;
  type: string;
  id: string;
}

export function fileError(code: ProblemCode, message: string, line?: number): ImportProblem {
  return { severity: 'error', scope: 'file', code, message, ...(line === undefined ? {} : { line }) };
}

export function objectError(place: ObjectPlace, code: ProblemCode, message: string): ImportProblem {
  return { severity: 'error', scope: 'object', code, message, line: place.line, type: place.type, id: place.id };
}

export function warning(code: ProblemCode, message: string, place?: Partial<ObjectPlace>): ImportProblem {
  return { severity: 'warning', scope: 'object', code, message, ...place };
}

export const blocksFile = (problem: ImportProblem): boolean => problem.severity === 'error' && problem.scope === 'file';
