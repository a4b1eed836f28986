import fs from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { Config } from '../../config';

export type ElasticsearchSettings = Pick<Config['elasticsearch'], 'url' | 'apiKey' | 'username' | 'password' | 'cloudId' | 'caCert'>;

/**
 * A Slack user waits for every store call, so a request gets 10 s (a refresh=wait_for write waits at most
 * about one refresh interval, 1 s) rather than the client's 30 s default.
 */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * The client retries only transient failures: a connection error (with exponential backoff and jitter) and
 * 502/503/504 answers. A timed-out request is not retried (the transport's retryOnTimeout default, false): it
 * may still be running on the cluster, and the user is better told now. Every write the store makes is safe
 * to repeat (see the protocol in elasticsearch-store.ts), so a retry after a lost response does no harm.
 */
const MAX_RETRIES = 2;

/**
 * The client for the configured cluster: `url` or `cloudId`, an API key or basic auth, and a CA file for TLS.
 * The key (or user) needs the cluster privileges `monitor` (health) and `manage_index_templates` (init), and
 * `all` on the indices `<CASEOPS_INDEX_PREFIX>-*`.
 */
export function createElasticsearchClient(settings: ElasticsearchSettings, overrides: Partial<ClientOptions> = {}): Client {
  return new Client({ ...clientOptions(settings), ...overrides });
}

function clientOptions(settings: ElasticsearchSettings): ClientOptions {
  const options: ClientOptions = { requestTimeout: REQUEST_TIMEOUT_MS, maxRetries: MAX_RETRIES };
  if (settings.cloudId !== undefined) options.cloud = { id: settings.cloudId };
  else if (settings.url !== undefined) options.node = settings.url;
  else throw new Error('Elasticsearch needs ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID');
  if (settings.apiKey !== undefined) options.auth = { apiKey: settings.apiKey };
  else if (settings.username !== undefined && settings.password !== undefined) {
    options.auth = { username: settings.username, password: settings.password };
  }
  if (settings.caCert !== undefined) options.tls = { ca: readCaCertificate(settings.caCert) };
  return options;
}

function readCaCertificate(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`ELASTICSEARCH_CA_CERT: cannot read the CA certificate ${file}: ${(error as Error).message}`);
  }
}
