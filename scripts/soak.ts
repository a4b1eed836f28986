/**
 * The reliability suite at soak size: every count of tests/reliability multiplied (SOAK=1, by SOAK_FACTOR,
 * 10 unless set), the suites run one after another so they do not compete for the CPU. RELIABILITY.md is
 * rewritten at the end. Extra arguments go to jest, e.g. `npm run soak -- -t fuzz`.
 *
 *   npm run soak
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const jest = require.resolve('jest/bin/jest', { paths: [root] });
const result = spawnSync(process.execPath, [jest, 'tests/reliability', '--runInBand', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SOAK: '1' },
});
process.exit(result.status ?? 1);
