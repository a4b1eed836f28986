import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface AppProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs a Slack app in its own process, as in production, so the bench's driver and Slack emulator do not
 * share its event loop. Resolves with its events URL once it prints the port it listens on.
 */
export function startAppProcess(script: string, env: Record<string, string>, portPattern: RegExp): Promise<AppProcess> {
  const child: ChildProcess = spawn(TSX, [path.join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    // A process that never says it listens (a wrong LOG_LEVEL, a hang) must fail the bench, not stall it.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not report its port within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = portPattern.exec(output)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({
        url: `http://127.0.0.1:${port}/slack/events`,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening:\n${output}`)));
  });
}
