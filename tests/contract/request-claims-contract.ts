import { CLAIM_ABANDONED_MS, CLAIM_LINGER_MS } from '../../src/cases/request-claims';
import type { CaseStore } from '../../src/cases/store';
import type { StoreFactory } from './case-store-contract';

/**
 * How every store keeps request claims (src/cases/request-claims.ts), including across two store instances on the
 * same data: two replicas, or two processes on one SQLite file.
 */
export interface SharedStoreFactory extends StoreFactory {
  /** Another store instance on the data of `store` (not initialised). */
  twin(store: CaseStore): Promise<CaseStore>;
  /** Closes a twin without dropping the data it shares. */
  closeTwin(twin: CaseStore): Promise<void>;
}

const at = (ms: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + ms);

/** A fresh store and its twin on the same data for each test of the enclosing describe: two replicas. */
export function useStoreAndTwin(factory: SharedStoreFactory): () => { store: CaseStore; twin: CaseStore } {
  let current: { store: CaseStore; twin: CaseStore };
  beforeEach(async () => {
    const store = await factory.create();
    await store.init();
    const twin = await factory.twin(store);
    await twin.init();
    current = { store, twin };
  });
  afterEach(async () => {
    await factory.closeTwin(current.twin);
    await factory.destroy(current.store);
  });
  return () => current;
}

export function describeRequestClaimsContract(name: string, factory: SharedStoreFactory): void {
  describe(`Request claims: ${name}`, () => {
    const replicas = useStoreAndTwin(factory);
    let store: CaseStore;
    let twin: CaseStore;
    beforeEach(() => {
      ({ store, twin } = replicas());
    });

    test('a second request for work under way is a repeat; either request again is a redelivery; other keys are free', async () => {
      const claims = store.requestClaims;
      expect(await claims.begin('export 1', 'T1', at(0))).toBe('started');
      expect(await claims.begin('export 1', 'T2', at(10))).toBe('repeat');
      expect(await claims.begin('export 1', 'T1', at(20))).toBe('redelivered');
      expect(await claims.begin('export 1', 'T2', at(30))).toBe('redelivered');
      expect(await claims.begin('export 2', 'T3', at(40))).toBe('started');
    });

    test('a finished claim lingers, then the same work may start again', async () => {
      const claims = store.requestClaims;
      await claims.begin('export 1', 'T1', at(0));
      expect(await claims.begin('export 1', 'T2', at(60_000))).toBe('repeat');
      await claims.finish('export 1', 'T1', at(60_000));
      expect(await claims.begin('export 1', 'T3', at(60_000 + CLAIM_LINGER_MS))).toBe('repeat');
      expect(await claims.begin('export 1', 'T4', at(60_000 + CLAIM_LINGER_MS + 1))).toBe('started');
      expect(await claims.begin('export 1', 'T5', at(60_000 + CLAIM_LINGER_MS + 2))).toBe('repeat');
    });

    test('a released claim frees its key at once; only the request that started it, while it runs, releases it', async () => {
      const claims = store.requestClaims;
      await claims.begin('export 1', 'T1', at(0));
      await claims.release('export 1', 'T2'); // not the request that started it
      expect(await claims.begin('export 1', 'T2', at(10))).toBe('repeat');
      await twin.requestClaims.release('export 1', 'T1');
      expect(await claims.begin('export 1', 'T3', at(20))).toBe('started');
      // Finished, it lingers: a release then changes nothing.
      await claims.finish('export 1', 'T3', at(30));
      await claims.release('export 1', 'T3');
      expect(await claims.begin('export 1', 'T4', at(40))).toBe('repeat');
      await claims.release('export 2', 'T5'); // no claim at all
      expect(await claims.begin('export 2', 'T5', at(50))).toBe('started');
    });

    test('a claim whose runner never finished is taken over after the bound, and the old runner cannot end the new claim', async () => {
      const claims = store.requestClaims;
      await claims.begin('export 1', 'T1', at(0));
      expect(await claims.begin('export 1', 'T2', at(CLAIM_ABANDONED_MS))).toBe('repeat');
      expect(await claims.begin('export 1', 'T3', at(CLAIM_ABANDONED_MS + 1))).toBe('started');
      await claims.finish('export 1', 'T1', at(CLAIM_ABANDONED_MS + 2));
      // Still running for T3: long after the old runner's finish, it is a repeat, not a fresh start.
      expect(await claims.begin('export 1', 'T4', at(CLAIM_ABANDONED_MS + 2 + 10 * CLAIM_LINGER_MS))).toBe('repeat');
    });

    test('a key of any length (a selection of many cases) is claimed', async () => {
      const key = JSON.stringify(['T0001', 'U0ALICE', 'C0PUBLIC', { kind: 'cases', refs: Array.from({ length: 300 }, (_, n) => `case-${n}`) }]);
      expect(await store.requestClaims.begin(key, 'T1', at(0))).toBe('started');
      expect(await store.requestClaims.begin(`${key} `, 'T2', at(0))).toBe('started');
      expect(await twin.requestClaims.begin(key, 'T3', at(0))).toBe('repeat');
    });

    test('two store instances on the same data see one another’s claims', async () => {
      expect(await store.requestClaims.begin('export 1', 'T1', at(0))).toBe('started');
      expect(await twin.requestClaims.begin('export 1', 'T2', at(10))).toBe('repeat');
      expect(await store.requestClaims.begin('export 1', 'T2', at(20))).toBe('redelivered');
      await store.requestClaims.finish('export 1', 'T1', at(30));
      expect(await twin.requestClaims.begin('export 1', 'T3', at(30 + CLAIM_LINGER_MS + 1))).toBe('started');
      await twin.requestClaims.finish('export 1', 'T3', at(40 + CLAIM_LINGER_MS));
      expect(await store.requestClaims.begin('export 1', 'T4', at(50 + 2 * CLAIM_LINGER_MS))).toBe('started');
    });

    test('concurrent requests for one key on two store instances: exactly one starts', async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, n) => (n % 2 ? twin : store).requestClaims.begin('export 1', `T${n}`, at(n))),
      );
      expect(outcomes.filter((outcome) => outcome === 'started')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'repeat')).toHaveLength(11);
    });
  });
}
