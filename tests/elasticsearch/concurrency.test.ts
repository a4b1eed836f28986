import type { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { commentWithRetry, createCase } from './support/case-fixtures';
import { describeWithElasticsearch, dropPrefix, testStore, uniquePrefix } from './support/test-cluster';

/** Two stores on one cluster stand for two caseops replicas behind a load balancer. */
describeWithElasticsearch('Elasticsearch store: two replicas on one cluster', () => {
  let prefix: string;
  let replicas: [ElasticsearchCaseStore, ElasticsearchCaseStore];

  beforeAll(async () => {
    prefix = uniquePrefix('replicas');
    replicas = [testStore(prefix), testStore(prefix)];
    await Promise.all(replicas.map((store) => store.init()));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((store) => store.close()));
    await dropPrefix(prefix);
  });

  test('500 concurrent updates of 5 cases, retried on conflict, lose nothing', async () => {
    const cases = await Promise.all(Array.from({ length: 5 }, (_, index) => createCase(replicas[index % 2]!, { teamId: 'T0LOAD', origin: { teamId: 'T0LOAD', channelId: 'C1', isPrivate: false } })));
    const updates = Array.from({ length: 500 }, (_, index) => ({ caseId: cases[index % 5]!.id, tag: `u${index}`, store: replicas[index % 2]! }));

    const attempts = await Promise.all(
      updates.map(({ store, caseId, tag }) => commentWithRetry(store, 'T0LOAD', caseId, tag, (next) => ({ ...next, tags: [...next.tags, tag] }))),
    );

    // Conflicts did happen (otherwise this tested nothing), and every update landed exactly once.
    expect(attempts.some((count) => count > 1)).toBe(true);
    for (const [index, original] of cases.entries()) {
      const expectedTags = updates.filter((_, position) => position % 5 === index).map((update) => update.tag);
      const final = (await replicas[0].getCase('T0LOAD', { id: original.id }))!;
      expect(final.version).toBe(1 + expectedTags.length);
      expect(final.totals.user).toBe(expectedTags.length);
      expect([...final.tags].sort()).toEqual([...expectedTags].sort());
      const actions = await replicas[1].listUserActions(original.id, { limit: 1000 });
      expect(actions).toHaveLength(1 + expectedTags.length);
      expect(actions.at(-1)?.type).toBe('create_case');
      const comments = await replicas[1].listAttachments(original.id, { limit: 1000 });
      expect(comments.map((comment) => comment.data.comment).sort()).toEqual([...expectedTags].sort());
    }
    const report = await replicas[0].repair({ olderThanMs: 0 });
    expect(report).toEqual({ claimsReleased: 0, childrenSettled: 0, childrenLeftPending: 0 });
  }, 180_000);

  test('concurrent creations on both replicas get distinct numbers 1..n', async () => {
    const team = { teamId: 'T0NUMBERS', origin: { teamId: 'T0NUMBERS', channelId: 'C1', isPrivate: false } };
    const created = await Promise.all(Array.from({ length: 60 }, (_, index) => createCase(replicas[index % 2]!, team)));
    expect(created.map((c) => c.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    expect((await replicas[1].findCases({ teamId: 'T0NUMBERS', limit: 100 })).total).toBe(60);
  }, 60_000);
});
