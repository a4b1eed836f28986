import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KNOWN_BUGS } from './known-bugs';
import { jestRunId, type ProcessWatch } from './process-watch';
import { RUN_MODE } from './scale';

/**
 * Each test file appends its figures to a JSON-lines file of the current jest run (workers share nothing
 * else) and then rewrites the run's report, reports/reliability.md (ignored by git), from every section
 * recorded so far in that run; whichever file finishes last leaves the complete report. The committed
 * RELIABILITY.md is written only by scripts/soak.ts, after a full run of every suite, from the same render.
 */

/**
 * Every figure a suite can count, in the order the report lists them. A new figure is one line here; a
 * `mustBeZero` figure counts something that went wrong and is flagged when it is not 0.
 */
const FIGURES = {
  requestsTried: { label: 'requests tried (forged)' },
  inputsFuzzed: { label: 'inputs fuzzed' },
  duplicatesDelivered: { label: 'duplicates delivered' },
  faultsInjected: { label: 'faults injected' },
  restarts: { label: 'restarts (SIGKILL mid-batch)' },
  crashes: { label: 'crashes', mustBeZero: true },
  leaks: { label: 'leaks', mustBeZero: true },
  duplicates: { label: 'duplicates', mustBeZero: true },
  lostWrites: { label: 'lost writes', mustBeZero: true },
} satisfies Record<string, { label: string; mustBeZero?: true }>;
export type Figure = keyof typeof FIGURES;
export type Figures = Record<Figure, number>;

const FIGURE_KEYS = Object.keys(FIGURES) as Figure[];
const mustBeZero = (figure: Figure): boolean => 'mustBeZero' in FIGURES[figure];

/** The suites, in the order the report lists them. */
const SUITES = {
  forged: { title: 'Forged requests', file: 'forged-requests.test.ts' },
  commands: { title: '`/case` text fuzzing', file: 'command-fuzz.test.ts' },
  interactivity: { title: 'Interactivity fuzzing', file: 'interactivity-fuzz.test.ts' },
  duplicates: { title: 'Duplicate deliveries', file: 'duplicate-deliveries.test.ts' },
  faults: { title: 'Slack faults', file: 'slack-faults.test.ts' },
  restart: { title: 'Restart in the middle', file: 'restart-mid-batch.test.ts' },
  replicas: { title: 'Two replicas, one killed', file: 'replicas-outbox.test.ts' },
} as const;
export type SuiteKey = keyof typeof SUITES;
const SUITE_KEYS = Object.keys(SUITES) as SuiteKey[];

export interface SectionRecord {
  suite: SuiteKey;
  mode: string;
  runtimeMs: number;
  figures: Figures;
  notes: string[];
}

const emptyFigures = (): Figures => Object.fromEntries(FIGURE_KEYS.map((figure) => [figure, 0])) as Figures;

/** Where a run leaves its report: ignored by git, so a test run changes nothing tracked. */
export const RUN_REPORT_DIR = path.resolve(__dirname, '../../../reports');
/** The report of the latest run, for a reader. */
export const RUN_REPORT_FILE = path.join(RUN_REPORT_DIR, 'reliability.md');
/** The sections of the latest run, for scripts/soak.ts to render RELIABILITY.md from. */
export const RUN_SECTIONS_FILE = path.join(RUN_REPORT_DIR, 'reliability.json');
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

  add(figure: Figure, count = 1): void {
    this.figures[figure] += count;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Appends this suite's section to the run's record and rewrites the run's report. */
  record(): void {
    const record: SectionRecord = { suite: this.suite, mode: RUN_MODE, runtimeMs: performance.now() - this.startedAt, figures: this.figures, notes: this.notes };
    fs.appendFileSync(runFile(), `${JSON.stringify(record)}\n`);
    const sections = readRun();
    fs.mkdirSync(RUN_REPORT_DIR, { recursive: true });
    writeAtomically(RUN_SECTIONS_FILE, JSON.stringify(sections, null, 2));
    writeAtomically(RUN_REPORT_FILE, renderReport(sections, 'Written by `tests/reliability/` at the end of each run (`reports/` is ignored by git).'));
  }

  /** Stops `unhandled`, counts what it saw as crashes, and records: the end of a suite that watched the process. */
  recordWatched(unhandled: ProcessWatch): void {
    unhandled.stop();
    this.add('crashes', unhandled.unhandledRejections.length);
    this.record();
  }
}

/** The suites a run has no section for: a report is complete when this is empty. */
export function missingSuites(sections: SectionRecord[]): SuiteKey[] {
  return SUITE_KEYS.filter((suite) => !sections.some((section) => section.suite === suite));
}

export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${text}\n`);
  fs.renameSync(temporary, file);
}

function readRun(): SectionRecord[] {
  const lines = fs.readFileSync(runFile(), 'utf8').split('\n').filter(Boolean);
  // A suite recorded twice in one run (jest --watch) counts with its latest figures.
  const latest = new Map(lines.map((line) => JSON.parse(line) as SectionRecord).map((record) => [record.suite, record]));
  return SUITE_KEYS.flatMap((suite) => latest.get(suite) ?? []);
}

/** The reliability report of `sections`; `provenance` says who wrote it. */
export function renderReport(sections: SectionRecord[], provenance: string): string {
  return [header(sections, provenance), totals(sections), bySuite(sections), bugsSection(), howToRun()].join('\n\n');
}

const number = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function header(sections: SectionRecord[], provenance: string): string {
  const missing = missingSuites(sections);
  return [
    '# Reliability',
    '',
    `${provenance} Do not edit by hand. The suite tries to break caseops`,
    'from outside — forged and malformed requests, fuzzed input on every surface, duplicate deliveries, Slack',
    'faults, a crash in the middle of a batch of writes — and counts what went wrong.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · mode **${sections[0]?.mode ?? RUN_MODE}** · Node ${process.version} · ${os.cpus().length} CPUs · ${seconds(sections.reduce((sum, s) => sum + s.runtimeMs, 0))} of suite time.`,
    ...(missing.length ? ['', `Not run in this run: ${missing.map((suite) => SUITES[suite].title).join(', ')}.`] : []),
  ].join('\n');
}

function sum(sections: SectionRecord[], figure: Figure): number {
  return sections.reduce((total, section) => total + (section.figures[figure] ?? 0), 0);
}

function totals(sections: SectionRecord[]): string {
  const rows = FIGURE_KEYS.map((figure) => {
    const value = sum(sections, figure);
    const flagged = mustBeZero(figure) && value > 0;
    return `| ${FIGURES[figure].label}${mustBeZero(figure) ? ' (must be 0)' : ''} | ${flagged ? `**${number(value)}**` : number(value)} |`;
  });
  return ['## Totals', '', '| figure | count |', '| --- | ---: |', ...rows].join('\n');
}

function bySuite(sections: SectionRecord[]): string {
  const parts = sections.map((section) => {
    const suite = SUITES[section.suite];
    const shown = FIGURE_KEYS.map((figure) => [figure, section.figures[figure] ?? 0] as const)
      .filter(([figure, value]) => value > 0 || mustBeZero(figure))
      .map(([figure, value]) => `${FIGURES[figure].label} ${number(value)}`);
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
    '- Every run writes its figures to `reports/reliability.md` (ignored by git).',
    '- Soak: `npm run soak` runs the same suites with `SOAK=1`, every count ×10 (`SOAK_FACTOR=n` to change), and',
    '  rewrites this file when every suite ran and passed.',
    '- A fuzz failure prints fast-check\'s seed and path; `FUZZ_SEED=<seed>` replays that run.',
  ].join('\n');
}
