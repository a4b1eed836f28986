/**
 * Hostile-input bench: the indicator extractor, the `/case` command parser and the chart range parser on
 * 100 kB pathological strings, and the ndjson import on a million tiny lines, deep nesting and one huge line.
 * Each scenario runs in a fresh process, so its time and peak RSS are its own. Returns a Markdown section for
 * BENCHMARKS.md; SECURITY.md quotes the worst cases.
 *
 *   npm run bench -- hostile
 */
import os from 'node:os';

import { extractIndicators } from '../src/cases/indicators';
import { parseRange } from '../src/charts/range';
import { importKibanaFile } from '../src/kibana/import/import-file';
import { parseCaseCommand } from '../src/slack/commands/parse';
import { PATHOLOGICAL } from '../tests/security/support/pathological';
import { inChild } from './in-child';

const PARSERS: Record<string, (text: string) => unknown> = {
  'indicator extractor': (text) => extractIndicators(text),
  'command parser (`new …`)': (text) => parseCaseCommand(`new ${text}`),
  'command parser (`chart 1 query "…`)': (text) => parseCaseCommand(`chart 1 query "${text}`),
  'range parser': (text) => parseRange(text.split(/\s+/).slice(0, 10_000).concat(text), { now: new Date('2026-01-01T00:00:00Z') }),
};

interface Measured {
  ms: number;
  maxRssMb: number;
  outcome: string;
}

export async function measureParser(parser: string, input: string): Promise<Measured> {
  const text = PATHOLOGICAL[input]!;
  const started = performance.now();
  const result = PARSERS[parser]!(text);
  const ms = performance.now() - started;
  const outcome = Array.isArray(result) ? `${result.length} found` : (result as { ok?: boolean }).ok ? 'accepted' : 'refused';
  return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, outcome };
}

/** ndjson files an attacker could share, streamed in 64 kB chunks as a download would be. */
const FILES: Record<string, () => Generator<string>> = {
  '1,000,000 lines of `{}`': function* () {
    for (let line = 0; line < 1_000; line += 1) yield '{}\n'.repeat(1_000);
  },
  '1,000,000 empty lines': function* () {
    for (let line = 0; line < 1_000; line += 1) yield '\n'.repeat(1_000);
  },
  'arrays nested 1,000,000 deep': function* () {
    yield '['.repeat(1_000_000);
    yield ']'.repeat(1_000_000);
  },
  'objects nested 100,000 deep': function* () {
    yield '{"a":'.repeat(100_000);
    yield `1${'}'.repeat(100_000)}`;
  },
  'one 25 MB line': function* () {
    yield '{"type":"cases","attributes":{"title":"';
    for (let chunk = 0; chunk < 400; chunk += 1) yield 'a'.repeat(64 * 1024);
    yield '"}}';
  },
};

export async function measureImport(file: string): Promise<Measured> {
  async function* download() {
    for (const chunk of FILES[file]!()) yield chunk;
  }
  const started = performance.now();
  const result = await importKibanaFile(download(), {
    teamId: 'T0BENCH',
    origin: { teamId: 'T0BENCH', channelId: 'C0IMPORT', isPrivate: false },
    existingCaseIds: async () => new Set(),
  });
  const ms = performance.now() - started;
  const codes = [...new Set(result.problems.map((problem) => problem.code))].join(', ');
  return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, outcome: `${result.units.length} cases; ${result.problems.length} problems (${codes || 'none'})` };
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const cell = (text: string) => text.replace(/\|/g, '\\|');

export async function runHostileInputBench(): Promise<string> {
  const baseline = inChild<Measured>(__filename, `measureParser(${JSON.stringify('range parser')}, ${JSON.stringify('spaces')})`).maxRssMb;
  const parserRows: string[] = [];
  const worst: Record<string, Measured & { input: string }> = {};
  for (const parser of Object.keys(PARSERS)) {
    for (const input of Object.keys(PATHOLOGICAL)) {
      const measured = inChild<Measured>(__filename, `measureParser(${JSON.stringify(parser)}, ${JSON.stringify(input)})`);
      parserRows.push(row([parser, cell(input), `${measured.ms.toFixed(1)} ms`, `${measured.maxRssMb.toFixed(0)} MB`, measured.outcome]));
      if (!worst[parser] || worst[parser]!.ms < measured.ms) worst[parser] = { ...measured, input };
    }
  }
  const importRows = Object.keys(FILES).map((file) => {
    const measured = inChild<Measured>(__filename, `measureImport(${JSON.stringify(file)})`);
    return row([cell(file), `${(measured.ms / 1000).toFixed(2)} s`, `${measured.maxRssMb.toFixed(0)} MB`, cell(measured.outcome)]);
  });
  return [
    '## Hostile input',
    '',
    `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}. Each scenario in a fresh process (${baseline.toFixed(0)} MB RSS for a trivial one); 100 kB inputs.`,
    '',
    'Worst case per parser: ' + Object.entries(worst).map(([parser, measured]) => `${parser} ${measured.ms.toFixed(1)} ms (${cell(measured.input)})`).join('; ') + '.',
    '',
    '| parser | 100 kB input | time | peak RSS | outcome |',
    '| --- | --- | --- | --- | --- |',
    ...parserRows,
    '',
    '| ndjson import of | time | peak RSS | outcome |',
    '| --- | --- | --- | --- |',
    ...importRows,
  ].join('\n');
}
