import type { CaseStore } from '../../src/cases/store';
import { indexNames } from '../../src/storage/elasticsearch/index-names';
import { describeWithElasticsearch, dropPrefix, testClient, testStore, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { describeCaseStoreContract } from './case-store-contract';
import { describeOutboxContract } from './outbox-contract';
import { describeDigestSchedulesContract } from './digest-schedules-contract';
import { describeInstallationsContract } from './installations-contract';
import { describeRequestClaimsContract, type SharedStoreFactory } from './request-claims-contract';

const prefixes = new Map<CaseStore, string>();

async function create(): Promise<CaseStore> {
  // Fresh indices for every test: its own prefix, dropped in destroy.
  const prefix = uniquePrefix('contract');
  const store = testStore(prefix);
  prefixes.set(store, prefix);
  return store;
}

async function destroy(store: CaseStore, options: { twin?: boolean } = {}): Promise<void> {
  await store.close();
  if (!options.twin) await dropPrefix(prefixes.get(store)!);
  prefixes.delete(store);
}

/** Another replica: a second store with its own client on the same indices. */
async function another(store: CaseStore): Promise<CaseStore> {
  return testStore(prefixes.get(store)!);
}

describeWithElasticsearch('Elasticsearch store', () => {
  describeCaseStoreContract('Elasticsearch', { create, destroy, another });
  // The twin is a second store with its own client on the same indices, as a second replica would have.
  const sharedData: SharedStoreFactory = {
    create,
    destroy,
    another,
    twin: async (store) => testStore(prefixes.get(store)!),
    closeTwin: (twin) => twin.close(),
  };
  describeRequestClaimsContract('Elasticsearch', sharedData);
  describeDigestSchedulesContract('Elasticsearch', sharedData);
  describeInstallationsContract('Elasticsearch', sharedData);

  describeOutboxContract('Elasticsearch', {
    create,
    destroy,
    // Another replica: its own client on the same indices.
    async twin(store) {
      const twin = testStore(prefixes.get(store)!);
      prefixes.set(twin, prefixes.get(store)!);
      return twin;
    },
    // dueStreams and pruneSettled search the outbox, which sees writes once the index is refreshed.
    async searchable(store) {
      const admin = testClient();
      try {
        await admin.indices.refresh({ index: indexNames(prefixes.get(store)!).outbox });
      } finally {
        await admin.close();
      }
    },
  });
});
