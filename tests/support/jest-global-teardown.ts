import fs from 'node:fs';
import path from 'node:path';
import { stopElasticsearch } from './elasticsearch-node';
import { CHOSEN_PORT_ENV } from './jest-global-setup';

const CACHE = path.resolve(__dirname, '..', '..', '.cache', 'elasticsearch');

/**
 * Stops the node the global setup started, and only that one (an ELASTICSEARCH_URL given from outside stays up).
 * start.sh keeps a node's config, data, logs and log file per port until that port is used again; a port the
 * setup chose at random will not be, so those go too.
 */
export default async function globalTeardown(): Promise<void> {
  await stopElasticsearch();
  const port = process.env[CHOSEN_PORT_ENV];
  if (port === undefined) return;
  for (const leftover of ['config', 'data', 'logs', 'tmp'].map((dir) => `${dir}-${port}`).concat(`node-${port}.log`)) {
    fs.rmSync(path.join(CACHE, leftover), { recursive: true, force: true });
  }
}
