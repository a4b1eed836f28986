/**
 * Finds or starts a real Elasticsearch node for integration tests.
 *
 * Policy, in order:
 *  1. ELASTICSEARCH_URL is set: use that server as it is (we never stop it).
 *  2. `java` and `mvn` are on PATH: run scripts/elasticsearch/start.sh, which
 *     starts a throw-away single node on 127.0.0.1:$ES_PORT (default 9250).
 *  3. Otherwise skip, unless REQUIRE_ELASTICSEARCH=1 (CI), where a missing
 *     server must fail the run instead of silently passing fewer tests.
 *
 * Call ensureElasticsearch/stopElasticsearch from one process, ideally Jest's
 * globalSetup/globalTeardown: the node listens on one fixed port, so parallel
 * workers must share it rather than each start their own.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPTS = path.resolve(__dirname, '..', '..', 'scripts', 'elasticsearch');

export type ElasticsearchTarget = { url: string; started: boolean } | { skipped: string };

// Set only when this process ran start.sh, so we never stop a server someone else owns.
let ours: { url: string; port: string | undefined } | undefined;

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (dir === '') return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export async function ensureElasticsearch(): Promise<ElasticsearchTarget> {
  // A second call in the same process reuses the node instead of hitting "port in use".
  if (ours) return { url: ours.url, started: true };

  const external = process.env.ELASTICSEARCH_URL;
  if (external) return { url: external, started: false };

  const missing = ['java', 'mvn'].filter((c) => !onPath(c));
  if (missing.length > 0) {
    const reason = `no ELASTICSEARCH_URL and ${missing.join(' and ')} not on PATH, so no local Elasticsearch can be started`;
    if (process.env.REQUIRE_ELASTICSEARCH === '1') throw new Error(`REQUIRE_ELASTICSEARCH=1 but ${reason}`);
    return { skipped: reason };
  }

  try {
    // Generous timeout: the first run downloads ~100 MiB through Maven before start.sh's own 180 s wait.
    const { stdout } = await run('bash', [path.join(SCRIPTS, 'start.sh')], {
      timeout: 10 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const url = stdout.trim().split('\n').pop()?.trim() ?? '';
    if (!/^https?:\/\//.test(url)) throw new Error(`start.sh printed no URL (got ${JSON.stringify(url)})`);
    ours = { url, port: process.env.ES_PORT };
    // Jest workers are spawned after globalSetup and inherit this, so they take branch 1.
    process.env.ELASTICSEARCH_URL = url;
    return { url, started: true };
  } catch (err) {
    // Java and Maven are here, so a failed start is a real problem: never turn it into a skip.
    // execFile's message already carries start.sh's stderr (the reason and the log tail).
    throw new Error(`scripts/elasticsearch/start.sh failed: ${(err as Error).message}`);
  }
}

export async function stopElasticsearch(): Promise<void> {
  if (!ours) return;
  const { port } = ours;
  ours = undefined;
  delete process.env.ELASTICSEARCH_URL; // we set it in ensureElasticsearch; it was unset before
  // Same ES_PORT as at start, in case the caller changed it since.
  const env = { ...process.env };
  if (port === undefined) delete env.ES_PORT;
  else env.ES_PORT = port;
  await run('bash', [path.join(SCRIPTS, 'stop.sh')], { env, timeout: 2 * 60_000 });
}
