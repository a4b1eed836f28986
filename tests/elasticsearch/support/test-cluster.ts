import { randomUUID } from 'node:crypto';
import type { Client, ClientOptions } from '@elastic/elasticsearch';
import { createElasticsearchClient } from '../../../src/storage/elasticsearch/client';
import { ElasticsearchCaseStore, type ElasticsearchCaseStoreOptions } from '../../../src/storage/elasticsearch/elasticsearch-store';
import { allIndices, indexNames } from '../../../src/storage/elasticsearch/index-names';
import { templateNames } from '../../../src/storage/elasticsearch/index-templates';
import { ELASTICSEARCH_SKIPPED_ENV } from '../../support/jest-global-setup';

/**
 * The Elasticsearch node the Jest global setup found or started (tests/support/jest-global-setup.ts), and
 * throw-away caseops installations on it: each under its own index prefix, dropped again after the test.
 */

/**
 * `describe` when there is a node; otherwise a skipped suite, counted as skipped rather than passed (the global
 * setup has said why, once, loudly).
 */
export function describeWithElasticsearch(name: string, body: () => void): void {
  (process.env[ELASTICSEARCH_SKIPPED_ENV] ? describe.skip : describe)(name, body);
}

export function elasticsearchUrl(): string {
  const url = process.env.ELASTICSEARCH_URL;
  if (!url) throw new Error('ELASTICSEARCH_URL is not set: run the tests through jest, whose global setup finds or starts a node');
  return url;
}

/** A client on the test node; `overrides` (a proxy's URL, no retries) replace the defaults. */
export function testClient(overrides: Partial<ClientOptions> = {}): Client {
  return createElasticsearchClient({ url: elasticsearchUrl() }, overrides);
}

export function uniquePrefix(label = 'store'): string {
  return `caseops-test-${label}-${randomUUID().slice(0, 8)}`;
}

export type TestStoreOptions = Partial<Omit<ElasticsearchCaseStoreOptions, 'indexPrefix'>>;

/** A store as tests want it: its own client. */
export function testStore(indexPrefix: string, options: TestStoreOptions = {}): ElasticsearchCaseStore {
  return new ElasticsearchCaseStore({ client: testClient(), ...options, indexPrefix });
}

/** Deletes the indices and templates of one prefix. */
export async function dropPrefix(indexPrefix: string): Promise<void> {
  const admin = testClient();
  try {
    const templates = templateNames(indexPrefix);
    await admin.indices.delete({ index: allIndices(indexNames(indexPrefix)), ignore_unavailable: true });
    await admin.indices.deleteIndexTemplate({ name: templates.indexTemplates.join(',') }, { ignore: [404] });
    await admin.cluster.deleteComponentTemplate({ name: templates.componentTemplates.join(',') }, { ignore: [404] });
  } finally {
    await admin.close();
  }
}

/** What `eachTestWithInstallation` hands each test: its index prefix, an initialised store and an admin client. */
export interface TestInstallation {
  prefix: string;
  store: ElasticsearchCaseStore;
  admin: Client;
}

/**
 * A throw-away caseops installation for each test of the enclosing `describe`, handed to `use`; closed and
 * dropped after each test.
 */
export function eachTestWithInstallation(label: string, use: (installation: TestInstallation) => void): void {
  let current: TestInstallation | undefined;
  beforeEach(async () => {
    const prefix = uniquePrefix(label);
    current = { prefix, store: testStore(prefix), admin: testClient() };
    await current.store.init();
    use(current);
  });
  afterEach(async () => {
    if (!current) return;
    await current.store.close();
    await current.admin.close();
    await dropPrefix(current.prefix);
  });
}
