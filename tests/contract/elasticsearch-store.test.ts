import type { CaseStore } from '../../src/cases/store';
import { describeWithElasticsearch, dropPrefix, testStore, uniquePrefix } from '../elasticsearch/support/test-cluster';
import { describeCaseStoreContract } from './case-store-contract';

const prefixes = new Map<CaseStore, string>();

describeWithElasticsearch('Elasticsearch store', () => {
  describeCaseStoreContract('Elasticsearch', {
    async create() {
      // Fresh indices for every test: its own prefix, dropped in destroy.
      const prefix = uniquePrefix('contract');
      const store = testStore(prefix);
      prefixes.set(store, prefix);
      return store;
    },
    async another(store) {
      return testStore(prefixes.get(store)!);
    },
    async destroy(store) {
      await store.close();
      await dropPrefix(prefixes.get(store)!);
      prefixes.delete(store);
    },
  });
});
