import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { describeCaseStoreContract } from './case-store-contract';

const dirs = new Map<object, string>();

describeCaseStoreContract('SQLite', {
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-contract-'));
    const store = new SqliteCaseStore(dir);
    dirs.set(store, dir);
    return store;
  },
  async another(store) {
    return new SqliteCaseStore(dirs.get(store)!);
  },
  async destroy(store) {
    await store.close();
    fs.rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
});
