import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from '../../src/cases/store';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { describeCaseStoreContract } from './case-store-contract';
import { describeOutboxContract } from './outbox-contract';
import { describeDigestSchedulesContract } from './digest-schedules-contract';
import { describeInstallationsContract } from './installations-contract';
import { describeRequestClaimsContract, type SharedStoreFactory } from './request-claims-contract';

const dirs = new Map<object, string>();

async function create(): Promise<SqliteCaseStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-contract-'));
  const store = new SqliteCaseStore(dir);
  dirs.set(store, dir);
  return store;
}

async function destroy(store: CaseStore, options: { twin?: boolean } = {}): Promise<void> {
  await store.close();
  if (!options.twin) fs.rmSync(dirs.get(store)!, { recursive: true, force: true });
  dirs.delete(store);
}

/** Another process on the same database file. */
async function another(store: CaseStore): Promise<SqliteCaseStore> {
  return new SqliteCaseStore(dirs.get(store)!);
}

describeCaseStoreContract('SQLite', { create, destroy, another });

describeOutboxContract('SQLite', {
  create,
  destroy,
  // Another process on the same database file.
  async twin(store) {
    return new SqliteCaseStore(dirs.get(store)!);
  },
  async searchable() {},
});

// The twin is a second connection to the same file, as a second process would open it.
const sharedData: SharedStoreFactory = {
  create,
  destroy,
  another,
  twin: async (store) => new SqliteCaseStore(dirs.get(store)!),
  closeTwin: (twin) => twin.close(),
};
describeRequestClaimsContract('SQLite', sharedData);
describeDigestSchedulesContract('SQLite', sharedData);
describeInstallationsContract('SQLite', sharedData);
