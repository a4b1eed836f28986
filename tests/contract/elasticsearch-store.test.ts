import type { CaseStore } from '../../src/cases/store';
import { describeWithElasticsearch, dropPrefix, testStore, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { describeCaseStoreContract, type StoreFactory } from './case-store-contract';
import { describeRequestClaimsContract } from './request-claims-contract';

const prefixes = new Map<CaseStore, string>();

const elasticsearch: StoreFactory = {
  async create() {
    // Fresh indices for every test: its own prefix, dropped in destroy.
    const prefix = uniquePrefix('contract');
    const store = testStore(prefix);
    prefixes.set(store, prefix);
    return store;
  },
  async destroy(store) {
    await store.close();
    await dropPrefix(prefixes.get(store)!);
    prefixes.delete(store);
  },
};

describeWithElasticsearch('Elasticsearch store', () => {
  describeCaseStoreContract('Elasticsearch', elasticsearch);
  // The twin is a second store with its own client on the same indices, as a second replica would have.
  describeRequestClaimsContract('Elasticsearch', {
    ...elasticsearch,
    twin: async (store) => testStore(prefixes.get(store)!),
    closeTwin: (twin) => twin.close(),
  });
});
