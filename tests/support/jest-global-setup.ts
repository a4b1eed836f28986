import net from 'node:net';
import { ensureElasticsearch } from './elasticsearch-node';

/** Set for the test workers when there is no Elasticsearch node: the reason, on which its suites skip. */
export const ELASTICSEARCH_SKIPPED_ENV = 'CASEOPS_ES_SKIPPED';
/** Set when this setup chose the node's port, so the teardown also removes what start.sh kept for that port. */
export const CHOSEN_PORT_ENV = 'CASEOPS_ES_CHOSEN_PORT';

/**
 * Finds or starts the one Elasticsearch node every test worker shares (see elasticsearch-node.ts). Workers are
 * spawned after this runs and inherit its environment: ELASTICSEARCH_URL when there is a node, otherwise
 * CASEOPS_ES_SKIPPED. With REQUIRE_ELASTICSEARCH=1 a missing node throws here and fails the run.
 */
export default async function globalSetup(): Promise<void> {
  delete process.env[ELASTICSEARCH_SKIPPED_ENV];
  // Two test runs at once on one machine (several people, or CI jobs) would both take the default port and one
  // would fail: unless told otherwise, each run starts its node on ports nobody uses.
  if (!process.env.ELASTICSEARCH_URL && !process.env.ES_PORT) {
    process.env.ES_PORT = String(await freePortPair());
    process.env[CHOSEN_PORT_ENV] = process.env.ES_PORT;
  }
  const target = await ensureElasticsearch();
  if ('skipped' in target) {
    process.env[ELASTICSEARCH_SKIPPED_ENV] = target.skipped;
    // Said here, once per run: Jest does not show what a suite logs when all its tests are skipped.
    console.warn(`\n⚠ Elasticsearch tests SKIPPED: ${target.skipped}\n`);
  }
}

/** A port p free on 127.0.0.1 with p + 100 free too (start.sh puts the node's transport port there). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await listenBriefly(0);
    if (port + 100 <= 65535 && (await listenBriefly(port + 100).then(() => true, () => false))) return port;
  }
}

function listenBriefly(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}
