import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStore } from '../../../src/cases/store';
import { SqliteCaseStore } from '../../../src/storage/sqlite/sqlite-store';
import { describeWithElasticsearch, dropPrefix, testStore, uniquePrefix } from '../../elasticsearch/support/test-cluster';

/** Two store instances on the same data, standing for two replicas: one SQLite file, or one Elasticsearch prefix. */
export interface SharedStores {
  replicas: [CaseStore, CaseStore];
}

/** Runs `body` once per store kind, each test with two fresh store instances over the same data. */
export function eachStoreKind(body: (stores: () => SharedStores) => void): void {
  describe('SQLite (one file, two stores)', () => {
    let dir: string;
    let current: SharedStores;
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-scheduler-'));
      current = { replicas: [new SqliteCaseStore(dir), new SqliteCaseStore(dir)] };
      for (const store of current.replicas) await store.init();
    });
    afterEach(async () => {
      for (const store of current.replicas) await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    body(() => current);
  });

  describeWithElasticsearch('Elasticsearch (one prefix, two stores)', () => {
    let prefix: string;
    let current: SharedStores;
    beforeEach(async () => {
      prefix = uniquePrefix('scheduler');
      current = { replicas: [testStore(prefix), testStore(prefix)] };
      await current.replicas[0].init();
      await current.replicas[1].init();
    });
    afterEach(async () => {
      await Promise.all(current.replicas.map((store) => store.close()));
      await dropPrefix(prefix);
    });
    body(() => current);
  });
}

/** A clock the test moves: every replica reads the same one. */
export class TestClock {
  constructor(private at: number) {}
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}
