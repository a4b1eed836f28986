import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_BUGS } from './known-bugs';
import { jestRunId, type ProcessWatch } from './process-watch';
import { RUN_MODE } from './scale';

/**
 * RELIABILITY.md is rewritten by the suite: each test file appends its figures to a JSON-lines file of the
 * current jest run (workers share nothing else) and then rewrites the report from every section recorded
 * so far in that run. Whichever file finishes last leaves the complete report.
 */

/** What a suite did (the first five) and what went wrong (the last four, which must stay 0). */
export interface Figures {
  requestsTried: number;
  inputsFuzzed: number;
  duplicatesDelivered: number;
  faultsInjected: number;
  restarts: number;
  crashes: number;
  leaks: number;
  duplicates: number;
  lostWrites: number;
}

const FIGURE_LABELS: Record<keyof Figures, string> = {
  requestsTried: 'requests tried (forged)',
  inputsFuzzed: 'inputs fuzzed',
  duplicatesDelivered: 'duplicates delivered',
  faultsInjected: 'faults injected',
  restarts: 'restarts (SIGKILL mid-batch)',
  crashes: 'crashes',
  leaks: 'leaks',
  duplicates: 'duplicates',
  lostWrites: 'lost writes',
};
const MUST_BE_ZERO: (keyof Figures)[] = ['crashes', 'leaks', 'duplicates', 'lostWrites'];

/** The suites, in the order the report lists them. */
const SUITES = {
  forged: { title: 'Forged requests', file: 'forged-requests.test.ts' },
  commands: { title: '`/case` text fuzzing', file: 'command-fuzz.test.ts' },
  interactivity: { title: 'Interactivity fuzzing', file: 'interactivity-fuzz.test.ts' },
  duplicates: { title: 'Duplicate deliveries', file: 'duplicate-deliveries.test.ts' },
  faults: { title: 'Slack faults', file: 'slack-faults.test.ts' },
  restart: { title: 'Restart in the middle', file: 'restart-mid-batch.test.ts' },
} as const;
export type SuiteKey = keyof typeof SUITES;

interface SectionRecord {
  suite: SuiteKey;
  mode: string;
  runtimeMs: number;
  figures: Figures;
  notes: string[];
}

const emptyFigures = (): Figures => ({
  requestsTried: 0,
  inputsFuzzed: 0,
  duplicatesDelivered: 0,
  faultsInjected: 0,
  restarts: 0,
  crashes: 0,
  leaks: 0,
  duplicates: 0,
  lostWrites: 0,
});

const REPORT_FILE = path.resolve(__dirname, '../../../RELIABILITY.md');
const runFile = () => path.join(os.tmpdir(), `caseops-reliability-run-${jestRunId()}.jsonl`);

/**
 * A suite's running tally: figures it adds to as it goes, and notes (what it checked, what it saw). Recorded
 * from the suite's afterAll even when a test failed, so the report says what happened.
 */
export class SuiteTally {
  readonly figures = emptyFigures();
  readonly notes: string[] = [];
  private readonly startedAt = performance.now();

  constructor(private readonly suite: SuiteKey) {}

  add(figure: keyof Figures, count = 1): void {
    this.figures[figure] += count;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Appends this suite's section to the run's record and rewrites RELIABILITY.md. */
  record(): void {
    const record: SectionRecord = { suite: this.suite, mode: RUN_MODE, runtimeMs: performance.now() - this.startedAt, figures: this.figures, notes: this.notes };
    fs.appendFileSync(runFile(), `${JSON.stringify(record)}\n`);
    writeReport(readRun());
  }

  /** Stops `unhandled`, counts what it saw as crashes, and records: the end of a suite that watched the process. */
  recordWatched(unhandled: ProcessWatch): void {
    unhandled.stop();
    this.add('crashes', unhandled.unhandledRejections.length);
    this.record();
  }
}

function readRun(): SectionRecord[] {
  const lines = fs.readFileSync(runFile(), 'utf8').split('\n').filter(Boolean);
  // A suite recorded twice in one run (jest --watch) counts with its latest figures.
  const latest = new Map(lines.map((line) => JSON.parse(line) as SectionRecord).map((record) => [record.suite, record]));
  return (Object.keys(SUITES) as SuiteKey[]).flatMap((suite) => latest.get(suite) ?? []);
}

function writeReport(sections: SectionRecord[]): void {
  const text = [header(sections), totals(sections), bySuite(sections), bugsSection(), howToRun()].join('\n\n');
  const temporary = `${REPORT_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${text}\n`);
  fs.renameSync(temporary, REPORT_FILE);
}

const number = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function header(sections: SectionRecord[]): string {
  const missing = (Object.keys(SUITES) as SuiteKey[]).filter((suite) => !sections.some((section) => section.suite === suite));
  return [
    '# Reliability',
    '',
    'Written by `tests/reliability/` at the end of each run; do not edit by hand. The suite tries to break caseops',
    'from outside — forged and malformed requests, fuzzed input on every surface, duplicate deliveries, Slack',
    'faults, a crash in the middle of a batch of writes — and counts what went wrong.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · mode **${sections[0]?.mode ?? RUN_MODE}** · Node ${process.version} · ${os.cpus().length} CPUs · ${seconds(sections.reduce((sum, s) => sum + s.runtimeMs, 0))} of suite time.`,
    ...(missing.length ? ['', `Not run in this run: ${missing.map((suite) => SUITES[suite].title).join(', ')}.`] : []),
  ].join('\n');
}

function sum(sections: SectionRecord[], figure: keyof Figures): number {
  return sections.reduce((total, section) => total + section.figures[figure], 0);
}

function totals(sections: SectionRecord[]): string {
  const rows = (Object.keys(FIGURE_LABELS) as (keyof Figures)[]).map((figure) => {
    const value = sum(sections, figure);
    const flagged = MUST_BE_ZERO.includes(figure) && value > 0;
    return `| ${FIGURE_LABELS[figure]}${MUST_BE_ZERO.includes(figure) ? ' (must be 0)' : ''} | ${flagged ? `**${number(value)}**` : number(value)} |`;
  });
  return ['## Totals', '', '| figure | count |', '| --- | ---: |', ...rows].join('\n');
}

function bySuite(sections: SectionRecord[]): string {
  const parts = sections.map((section) => {
    const suite = SUITES[section.suite];
    const shown = (Object.keys(FIGURE_LABELS) as (keyof Figures)[])
      .filter((figure) => section.figures[figure] > 0 || MUST_BE_ZERO.includes(figure))
      .map((figure) => `${FIGURE_LABELS[figure]} ${number(section.figures[figure])}`);
    return [
      `### ${suite.title}`,
      '',
      `\`tests/reliability/${suite.file}\` · ${seconds(section.runtimeMs)} · ${shown.join(' · ')}`,
      '',
      ...section.notes.map((note) => `- ${note}`),
    ].join('\n');
  });
  return ['## By suite', ...parts].join('\n\n');
}

function bugsSection(): string {
  const all = Object.values(KNOWN_BUGS);
  const openFirst = [...all].sort((a, b) => Number(Boolean(a.fixedIn)) - Number(Boolean(b.fixedIn)));
  const preface = [
    '## Bugs found',
    '',
    `${all.length} bugs in src/, ${all.filter((bug) => !bug.fixedIn).length} still open. An open bug is reproduced by a \`test.failing\`, which passes`,
    'while the bug is there and fails once it is fixed: then make it a plain `test`, which keeps it fixed, and record the',
    'fix in `tests/reliability/support/known-bugs.ts`.',
  ].join('\n');
  const entries = openFirst.map((bug) =>
    [
      `### ${bug.id}: ${bug.title}`,
      '',
      `Severity: ${bug.severity}. ${bug.fixedIn ? `Fixed in ${bug.fixedIn}; kept fixed by` : 'Open; reproduced by the `test.failing`'} \`tests/reliability/${bug.guardedBy}\`.`,
      '',
      `- Reproduction: ${bug.reproduction}`,
      `- Expected: ${bug.expected}`,
      `- ${bug.fixedIn ? 'Before the fix' : 'Actual'}: ${bug.actual}`,
      `- ${bug.fixedIn ? 'Cause' : 'Likely cause'}: ${bug.cause}`,
    ].join('\n'),
  );
  return [preface, ...entries].join('\n\n');
}

function howToRun(): string {
  return [
    '## How to run',
    '',
    '- CI size: `ELASTICSEARCH_URL=http://127.0.0.1:9250 npx jest tests/reliability` (the variable only stops the global',
    '  set-up from starting an Elasticsearch node; these suites do not use one).',
    '- Soak: `npx tsx scripts/soak.ts` runs the same suites with `SOAK=1`, every count ×10 (`SOAK_FACTOR=n` to change).',
    '- A fuzz failure prints fast-check\'s seed and path; `FUZZ_SEED=<seed>` replays that run.',
  ].join('\n');
}
