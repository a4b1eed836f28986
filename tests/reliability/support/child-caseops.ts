import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BOT_TOKEN, SIGNING_SECRET } from '../../support/harness';
import type { SlackEmulator } from '../../support/slack-emulator';
import type { AppUnderTest } from './targets';

const REPO = path.resolve(__dirname, '../../..');
const STARTUP_TIMEOUT_MS = 60_000;

/** caseops as operators run it: its own process (tsx src/main.ts), configured by the environment only. */
export class ChildCaseops implements AppUnderTest {
  private constructor(
    private readonly child: ChildProcess,
    readonly emulator: SlackEmulator,
    readonly dataDir: string,
    readonly port: number,
    /** Every line the process wrote, stdout and stderr. */
    readonly output: string[],
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts caseops on `dataDir` and waits for its "caseops is listening" log line, which names the port. `settings`
   * add to (or replace) the defaults: another store, say.
   */
  static start(emulator: SlackEmulator, dataDir: string, settings: Record<string, string> = {}): Promise<ChildCaseops> {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      PORT: '0',
      CASEOPS_STORE: 'sqlite',
      CASEOPS_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...settings,
    };
    // From the data directory, so a developer's .env in the repository cannot configure this process; in a
    // process group of its own, because tsx runs the app in a child process that a signal to tsx alone would
    // leave running.
    const child = spawn(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'src/main.ts')], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output: string[] = [];
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', (line) => output.push(line));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`did not start within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        signalGroup(child, 'SIGKILL');
        reject(new Error(`caseops ${why}:\n${output.join('\n')}`));
      };
      child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const port = listeningPort(line);
        if (port === undefined) return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new ChildCaseops(child, emulator, dataDir, port, output));
      });
    });
  }

  /** Sends `signal` to caseops (tsx and the app it runs) and waits for it to be gone. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    signalGroup(this.child, signal);
    await exited;
  }
}

/** Signals the child's whole process group (its pid, negated). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function listeningPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    return entry.msg === 'caseops is listening' ? entry.port : undefined;
  } catch {
    return undefined;
  }
}
