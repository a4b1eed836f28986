import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseAccess } from '../../../src/cases/case-access';
import type { Case } from '../../../src/cases/model';
import { VisibilityPolicy } from '../../../src/cases/policy';
import type { ScheduledJob } from '../../../src/cases/schedule';
import type { CaseStore } from '../../../src/cases/store';
import { createLogger } from '../../../src/log';
import { Scheduler } from '../../../src/scheduler/scheduler';
import { draftCase } from '../../contract/case-store-contract';
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

export const START = Date.parse('2026-12-04T10:00:00Z');
export const MINUTE = 60_000;
/** caseops' bot user, whom scheduled checks record their changes as. */
export const BOT = { userId: 'U0CASEOPS', teamId: 'T0001', name: 'caseops' };
/** Nobody is a member of anything: a scheduled check reads no case through visibility. */
export const NOBODYS_POLICY = new VisibilityPolicy({ isMember: async () => false }, []);

/** One scheduler per replica, on the test's clock, each running the job `job` builds over that replica's store. */
export function replicaSchedulers(stores: SharedStores, clock: TestClock, job: (access: CaseAccess) => ScheduledJob): Scheduler[] {
  const logger = createLogger('silent');
  return stores.replicas.map((store, index) => new Scheduler({ store: store.outbox, logger, jobs: [job(new CaseAccess(store, NOBODYS_POLICY, clock.now))], replica: `replica-${index}`, now: clock.now }));
}

/** A case opened at START. */
export function openAtStart(store: CaseStore, overrides: Partial<Case>): Promise<Case> {
  return store.createCase(draftCase({ createdAt: new Date(START).toISOString(), ...overrides })).then((created) => created.case);
}
