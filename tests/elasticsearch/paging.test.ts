import { createCaseAction } from '../../src/cases/user-actions';
import { bulkLoadCases } from '../../src/storage/elasticsearch/bulk-load';
import type { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { draftCase } from '../contract/case-store-contract';
import { analyst, createCase } from './support/case-fixtures';
import { describeWithElasticsearch, dropPrefix, testClient, testStore, uniquePrefix } from './support/test-cluster';

/** A team with more cases than Elasticsearch's default result window (10,000): lists page by offset, an export scans. */
describeWithElasticsearch('Elasticsearch store: a large team', () => {
  const teamId = 'T0LARGE';
  const count = 10_010;
  let prefix: string;
  let store: ElasticsearchCaseStore;

  beforeAll(async () => {
    prefix = uniquePrefix('paging');
    store = testStore(prefix);
    await store.init();
    const admin = testClient();
    const entries = Array.from({ length: count }, (_, index) => {
      const draft = draftCase({ teamId, origin: { teamId, channelId: 'C1', isPrivate: false } });
      return { case: { ...draft, number: index + 1, version: 1 }, actions: [createCaseAction(draft, analyst, draft.createdAt)] };
    });
    await bulkLoadCases(admin, store.indices, entries);
    await admin.close();
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await dropPrefix(prefix);
  });

  test('pages past 10,000 by offset, in both orders, with the exact total', async () => {
    const byNumber = await store.findCases({ teamId, orderBy: 'number', offset: 10_000, limit: 5 });
    expect(byNumber.cases.map((c) => c.number)).toEqual([10_001, 10_002, 10_003, 10_004, 10_005]);
    expect(byNumber.total).toBe(count);
    // Newest activity first: the draft clock ticks forward, so the highest numbers come first.
    const byActivity = await store.findCases({ teamId, offset: 10_005, limit: 10 });
    expect(byActivity.cases.map((c) => c.number)).toEqual([5, 4, 3, 2, 1]);
  });

  test('a scan reads every case by number, past the window, one point-in-time page after another', async () => {
    const numbers: number[] = [];
    for await (const page of store.scanCases({ teamId })) numbers.push(...page.map((c) => c.number));
    expect(numbers).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  });

  test('a case is found by number through its number record, as loaded', async () => {
    expect((await store.getCase(teamId, { number: 10_007 }))?.number).toBe(10_007);
  });

  test('numbering carries on after the loaded cases', async () => {
    expect((await createCase(store, { teamId, origin: { teamId, channelId: 'C1', isPrivate: false } })).number).toBe(count + 1);
  });
});
