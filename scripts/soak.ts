/**
 * The reliability suite at soak size: every count of tests/reliability multiplied (SOAK=1, by SOAK_FACTOR,
 * 10 unless set), the suites run one after another so they do not compete for the CPU. Every run leaves its
 * figures in reports/reliability.md; the committed RELIABILITY.md is rewritten only by a full run (no jest
 * arguments) in which every suite ran and passed, so a partial or failed run never leaves holes in it.
 * Extra arguments go to jest, e.g. `npm run soak -- -t fuzz`.
 *
 *   npm run soak
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { missingSuites, renderReport, RUN_REPORT_FILE, RUN_SECTIONS_FILE, writeAtomically, type SectionRecord } from '../tests/reliability/support/report';

const root = path.resolve(__dirname, '..');
const COMMITTED_REPORT = path.join(root, 'RELIABILITY.md');
const jestArguments = process.argv.slice(2);

// Sections left by an earlier run must not pass for this one's.
fs.rmSync(RUN_SECTIONS_FILE, { force: true });
const jest = require.resolve('jest/bin/jest', { paths: [root] });
const result = spawnSync(process.execPath, [jest, 'tests/reliability', '--runInBand', ...jestArguments], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SOAK: '1' },
});
process.exit(result.status === 0 ? updateCommittedReport() : (result.status ?? 1));

/** Rewrites RELIABILITY.md from this run when it was a full one; 0 when it did, or said why it did not. */
function updateCommittedReport(): number {
  const relative = path.relative(root, RUN_REPORT_FILE);
  if (jestArguments.length > 0) {
    console.log(`Partial run (jest ${jestArguments.join(' ')}): RELIABILITY.md left as it was; this run's figures are in ${relative}.`);
    return 0;
  }
  const sections = JSON.parse(fs.readFileSync(RUN_SECTIONS_FILE, 'utf8')) as SectionRecord[];
  const missing = missingSuites(sections);
  if (missing.length > 0) {
    console.error(`No figures from ${missing.join(', ')}: RELIABILITY.md left as it was; see ${relative}.`);
    return 1;
  }
  writeAtomically(COMMITTED_REPORT, renderReport(sections, 'Written by `npm run soak` (scripts/soak.ts) after a full run of every suite.'));
  console.log('RELIABILITY.md rewritten from this run.');
  return 0;
}
