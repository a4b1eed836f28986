import fs from 'node:fs';
import path from 'node:path';
import type { SlackOrigin } from '../../../src/cases/model';
import { type CaseExportInput } from '../../../src/kibana/export/case-objects';
import { type ExportOptions, exportLines } from '../../../src/kibana/export/export-stream';
import { importKibanaFile, type ImportOptions, type ImportResult } from '../../../src/kibana/import/import-file';

export const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/kibana');

/** Every Kibana export (.ndjson) and kbn_archiver file (.json) under the fixtures folder. */
export function fixtureFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ndjson|json)$/.test(entry.name)) found.push(path.relative(FIXTURES, full));
    }
  };
  walk(FIXTURES);
  return found.sort();
}

/** The saved objects of a fixture, in file order (the summary line of an export excluded). */
export function fixtureObjects(relative: string): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
  const values = relative.endsWith('.ndjson')
    ? text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Record<string, unknown>)
    : text.split(/\n\s*\n/).filter((chunk) => chunk.trim()).map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
  return values.filter((value) => 'type' in value);
}

/** A fixture as ndjson, the way an upload would arrive (archives are pretty-printed; Kibana's import wants lines). */
export function fixtureAsNdjson(relative: string): string {
  const text = fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
  return relative.endsWith('.ndjson') ? text : fixtureObjects(relative).map((object) => JSON.stringify(object)).join('\n');
}

/** A file arriving in chunks of `size` bytes, like a download. */
export async function* chunked(content: string | Buffer, size = 7919): AsyncGenerator<Buffer> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

export const TEAM = 'T0CASEOPS';
export const IMPORT_CHANNEL: SlackOrigin = { teamId: TEAM, channelId: 'C0IMPORT', channelName: 'soc-imports', isPrivate: false };

export function importText(content: string | Buffer, options: Partial<ImportOptions> = {}): Promise<ImportResult> {
  return importKibanaFile(chunked(content), { teamId: TEAM, origin: IMPORT_CHANNEL, existingCaseIds: async () => new Set(), ...options });
}

export async function exportText(cases: Iterable<CaseExportInput> | AsyncIterable<CaseExportInput>, options: ExportOptions = {}): Promise<string> {
  const lines: string[] = [];
  for await (const line of exportLines(cases, options)) lines.push(line);
  return lines.join('\n');
}

/** Import units back as export input: what the store would hand to export after writing them. */
export function unitsAsExportInput(result: ImportResult): CaseExportInput[] {
  return result.units.map((unit) => ({ case: unit.case, attachments: unit.attachments, userActions: unit.userActions }));
}

export function parseLines(ndjson: string): Record<string, unknown>[] {
  return ndjson.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}
