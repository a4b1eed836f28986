import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { type RunningCaseops, startCaseops } from '../../src/runtime';
import { SlackDriver } from './slack-driver';
import { SlackEmulator } from './slack-emulator';
import { socketModeSend } from './slack-socket-mode';

export const BOT_TOKEN = 'xoxb-caseops-test-bot-token';
export const SIGNING_SECRET = 'caseops-test-signing-secret';
/** The app-level token of the emulated app; set it as SLACK_APP_TOKEN to run caseops in Socket Mode. */
export const APP_TOKEN = 'xapp-caseops-test-app-token';

export interface HarnessOptions {
  /** Extra settings, as environment variables; a function reads them off the started emulator (e.g. a proxy in front of it). */
  env?: Record<string, string> | ((emulator: SlackEmulator) => Record<string, string> | Promise<Record<string, string>>);
  /** Reuse a data directory (to test a restart on the same data). */
  dataDir?: string;
  /** Another harness's emulator: this app is a second replica in the same workspace (its owner stops it). */
  emulator?: SlackEmulator;
}

/**
 * The real app on a loopback port, talking to the Slack emulator, driven by signed HTTP requests. Log lines
 * are captured so tests can assert what an operator would read (and that no secret is in it).
 */
export class Harness {
  readonly logLines: string[] = [];
  private running: RunningCaseops | null = null;
  driver!: SlackDriver;

  private constructor(
    readonly emulator: SlackEmulator,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly ownsEmulator: boolean,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const emulator = options.emulator ?? (await SlackEmulator.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN }));
    const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-e2e-'));
    const env = typeof options.env === 'function' ? await options.env(emulator) : (options.env ?? {});
    const harness = new Harness(emulator, dataDir, env, !options.emulator);
    await harness.startApp();
    return harness;
  }

  get config(): Config {
    const result = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.emulator.apiUrl,
      PORT: '0',
      CASEOPS_DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      ...this.env,
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    return result.config;
  }

  get port(): number {
    if (!this.running) throw new Error('caseops is not running');
    return this.running.port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async startApp(): Promise<void> {
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        this.logLines.push(String(chunk));
        done();
      },
    });
    this.running = await startCaseops(this.config, createLogger(this.config.logLevel, sink));
    // In Socket Mode the same requests travel as envelopes over the app's WebSocket instead of HTTP.
    const socketMode = this.config.slack.appToken ? { send: socketModeSend(this.emulator.socketMode) } : {};
    this.driver = new SlackDriver({ appUrl: `${this.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET, emulator: this.emulator, ...socketMode });
  }

  /** Stops the app and starts a new one on the same data directory, like a process restart. */
  async restart(): Promise<void> {
    await this.stopApp();
    await this.startApp();
  }

  /** Stops the app and keeps everything else (the emulator, the data), for a restart with a change in between. */
  async stopApp(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  async health(): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}/healthz`);
    return { status: response.status, body: await response.json() };
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await this.stopApp();
    if (this.ownsEmulator) await this.emulator.stop();
    if (!options.keepData) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
