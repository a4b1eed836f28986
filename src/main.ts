import dotenv from 'dotenv';
import { describeConfigProblems, loadConfig } from './config';
import { createLogger, scrubText } from './log';
import { startCaseops } from './runtime';

/** Entry point: settings from the environment (and .env, which never overrides it), then run until signalled. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${describeConfigProblems(loaded.problems)}\n`);
    process.exit(1);
  }
  const logger = createLogger(loaded.config.logLevel, undefined, loaded.config.logFormat);
  const running = await startCaseops(loaded.config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`caseops failed to start: ${scrubText(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
