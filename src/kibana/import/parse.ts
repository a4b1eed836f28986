import { isRecord } from '../records';
import { parseJsonSafely } from '../safe-json';
import { type FileChunk, readLines } from './lines';
import { fileError, type ImportProblem, warning } from './problems';

/** Kibana's defaults: `savedObjects.maxImportExportSize` and `savedObjects.maxImportPayloadBytes`. */
export interface ImportLimits {
  maxObjects: number;
  maxBytes: number;
}
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxObjects: 10_000, maxBytes: 26_214_400 };

/** A JSON object read from one line; nothing about it is checked yet beyond being a safe object. */
export interface ParsedObject {
  line: number;
  value: Record<string, unknown>;
}

export interface ParsedFile {
  objects: ParsedObject[];
  problems: ImportProblem[];
}

/** Beyond this many broken lines the rest are counted, not listed: one bad file should not drown the log. */
const MAX_LISTED_LINE_PROBLEMS = 50;

/**
 * Reads an ndjson export line by line: blank lines skipped, each other line one JSON object, the export
 * summary line (wherever it is) checked against the objects and set aside. Every problem is recorded with
 * its line; limits stop the reading at once. Never throws for anything the file contains.
 */
export async function parseNdjson(source: AsyncIterable<FileChunk>, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<ParsedFile> {
  const objects: ParsedObject[] = [];
  const problems: ImportProblem[] = [];
  const summaries: ParsedObject[] = [];
  let brokenLines = 0;
  const broken = (problem: ImportProblem): void => {
    brokenLines += 1;
    if (brokenLines <= MAX_LISTED_LINE_PROBLEMS) problems.push(problem);
  };

  for await (const event of readLines(source, limits.maxBytes)) {
    if (event.kind === 'too-large') {
      problems.push(fileError('too_large', `The file is larger than ${formatBytes(limits.maxBytes)}, the most Kibana and caseops import at once. Export fewer cases per file.`));
      return { objects, problems };
    }
    if (event.kind === 'archive') {
      problems.push(fileError('not_ndjson', `This is a ${event.format} archive, not an .ndjson export. Unpack it and import the .ndjson file inside.`));
      return { objects, problems };
    }
    if (event.kind === 'not-utf8') {
      broken(fileError('not_utf8', 'This line is not UTF-8 text (binary data?).', event.number));
      continue;
    }
    if (!event.text.trim()) continue;
    const parsed = parseJsonSafely(event.text);
    if (!parsed.ok) {
      broken(fileError(parsed.reason === 'syntax' ? 'invalid_json' : parsed.reason, lineMessage(parsed.reason, parsed.message), event.number));
      continue;
    }
    if (!isRecord(parsed.value)) {
      broken(fileError('not_an_object', `This line is ${describeJson(parsed.value)}, not a saved object.`, event.number));
      continue;
    }
    if (isExportSummary(parsed.value)) {
      summaries.push({ line: event.number, value: parsed.value });
      continue;
    }
    if (objects.length >= limits.maxObjects) {
      problems.push(fileError('too_many_objects', `The file has more than ${limits.maxObjects.toLocaleString('en-US')} objects, the most Kibana and caseops import at once. Export fewer cases per file.`, event.number));
      return { objects, problems };
    }
    objects.push({ line: event.number, value: parsed.value });
  }
  if (brokenLines > MAX_LISTED_LINE_PROBLEMS) {
    problems.push(fileError('invalid_json', `…and ${brokenLines - MAX_LISTED_LINE_PROBLEMS} more lines that could not be read.`));
  }
  if (objects.length) problems.push(...checkSummaries(summaries, objects));
  else if (brokenLines === 0) problems.push(fileError('no_objects', 'The file holds no saved objects.'));
  return { objects, problems };
}

/** Kibana's export details line: it has `exportedCount` and, unlike every saved object, no `type`. */
function isExportSummary(value: Record<string, unknown>): boolean {
  return 'exportedCount' in value && !('type' in value);
}

function checkSummaries(summaries: ParsedObject[], objects: ParsedObject[]): ImportProblem[] {
  const last = summaries[summaries.length - 1];
  if (!last) return [warning('no_summary', 'The file has no export summary line (Kibana writes one last); the objects were read anyway.')];
  const problems: ImportProblem[] = [];
  const lastObjectLine = objects[objects.length - 1]?.line ?? 0;
  if (summaries.length > 1 || last.line < lastObjectLine) {
    problems.push(warning('summary_mismatch', 'The export summary line is not the last line of the file; the file may have been edited or joined from several exports.', { line: last.line }));
  }
  const { exportedCount } = last.value;
  if (exportedCount !== objects.length) {
    problems.push(
      warning(
        'summary_mismatch',
        `The export summary says ${JSON.stringify(exportedCount)} objects but the file has ${objects.length}; it may be truncated or edited. Every object found was checked.`,
        { line: last.line },
      ),
    );
  }
  return problems;
}

function lineMessage(reason: 'syntax' | 'forbidden_key' | 'too_deep', detail: string): string {
  switch (reason) {
    case 'syntax':
      return `This line is not valid JSON (${detail}); the file may be cut off or edited by hand.`;
    case 'forbidden_key':
      return `This line was refused: it ${detail}, which is how prototype-pollution attacks are written.`;
    case 'too_deep':
      return `This line was refused: it is ${detail}.`;
  }
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON array';
  if (value === null) return 'null';
  return `a JSON ${typeof value}`;
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB (${bytes.toLocaleString('en-US')} bytes)`;
}
