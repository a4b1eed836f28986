import { spawnSync } from 'node:child_process';

/**
 * Runs `call` (an exported async function of `file`, with its arguments) in a fresh Node process and returns
 * what it resolved to: each scenario's peak RSS is then its own.
 */
export function inChild<T>(file: string, call: string): T {
  const script = `require(${JSON.stringify(file)}).${call}.then((result) => console.log(JSON.stringify(result)))`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${call} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as T;
}
