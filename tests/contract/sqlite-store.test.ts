import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { describeCaseStoreContract, type StoreFactory } from './case-store-contract';
import { describeRequestClaimsContract } from './request-claims-contract';

const dirs = new Map<object, string>();

const sqlite: StoreFactory = {
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-contract-'));
    const store = new SqliteCaseStore(dir);
    dirs.set(store, dir);
    return store;
  },
  async destroy(store) {
    await store.close();
    fs.rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
};

describeCaseStoreContract('SQLite', sqlite);

// The twin is a second connection to the same file, as a second process would open it.
describeRequestClaimsContract('SQLite', {
  ...sqlite,
  twin: async (store) => new SqliteCaseStore(dirs.get(store)!),
  closeTwin: (twin) => twin.close(),
});
