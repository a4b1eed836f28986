import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { draftCase } from '../contract/case-store-contract';
import { effectDraft } from '../contract/outbox-contract';
import { describeWithElasticsearch, dropPrefix, testClient, testStore, uniquePrefix } from './support/test-cluster';

/**
 * Effects an operation staged but never committed (it lost its race or died before the case document moved):
 * nothing reaches them from the case's `commit.effect_tail`, so they are never delivered, and once older than the
 * store's pending lease they are deleted, the case fenced first so a slow writer cannot commit them after all.
 */

const ORPHAN_AFTER_MS = 3_000;

describeWithElasticsearch('Elasticsearch outbox: orphaned effects', () => {
  let prefix: string;
  let store: ElasticsearchCaseStore;
  let admin: Client;

  beforeEach(async () => {
    prefix = uniquePrefix('orphans');
    store = testStore(prefix, { pendingLeaseMs: ORPHAN_AFTER_MS });
    admin = testClient();
    await store.init();
  });

  afterEach(async () => {
    await store.close();
    await admin.close();
    await dropPrefix(prefix);
  });

  async function exists(id: string): Promise<boolean> {
    return admin.exists({ index: store.indices.outbox, id });
  }

  test('an effect staged by an operation that never commits is never delivered, and is deleted once older than the pending lease', async () => {
    const committed = effectDraft('post_card');
    const { case: theCase } = await store.createCase(draftCase(), { effects: [committed] });
    const orphan = effectDraft('thread_line');
    // Step 3 of an update, chained after the case's tail, whose commit never comes.
    await store.outbox.stage({ op: randomUUID(), caseId: theCase.id, teamId: theCase.teamId }, { effect_tail: committed.id }, [orphan]);

    expect((await store.outbox.listEffects(theCase.id)).map((effect) => effect.id)).toEqual([committed.id]);
    const lease = (await store.outbox.acquireLease(theCase.id, 'replica-a', new Date(), 30_000))!;
    const [first, ...rest] = await store.outbox.pendingEffects(lease, 10);
    expect(first?.id).toBe(committed.id);
    expect(rest).toEqual([]);
    await store.outbox.settle(lease, await store.outbox.startAttempt(lease, first!, new Date()), { state: 'done' }, new Date());

    // Young: perhaps its operation is only slow, so it stays (still undelivered).
    await admin.indices.refresh({ index: store.indices.outbox });
    expect(await store.outbox.pendingEffects(lease, 10)).toEqual([]);
    expect(await exists(orphan.id)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, ORPHAN_AFTER_MS + 100));
    const before = await admin.get({ index: store.indices.cases, id: theCase.id });
    expect(await store.outbox.pendingEffects(lease, 10)).toEqual([]);
    expect(await exists(orphan.id)).toBe(false);
    // The case was fenced (same content, new sequence number) and the committed effect is untouched.
    const after = await admin.get({ index: store.indices.cases, id: theCase.id });
    expect(after._seq_no).toBeGreaterThan(before._seq_no!);
    expect(after._source).toEqual(before._source);
    expect((await store.outbox.listEffects(theCase.id)).map((effect) => [effect.id, effect.state])).toEqual([[committed.id, 'done']]);

    // The case goes on: a later update's effects follow the committed chain.
    const later = effectDraft('edit_card');
    const current = (await store.getCase(theCase.teamId, { id: theCase.id }))!;
    await store.updateCase({ ...current, title: 'renamed' }, current.version, { effects: [later] });
    expect((await store.outbox.pendingEffects(lease, 10)).map((effect) => effect.id)).toEqual([later.id]);
  });

  test('an orphan chained after the committed tail is not part of the backlog, and is left alone while that backlog is delivered', async () => {
    const committed = [effectDraft('post_card'), effectDraft('thread_line')];
    const { case: theCase } = await store.createCase(draftCase(), { effects: committed });
    const orphan = effectDraft('thread_line');
    await store.outbox.stage({ op: randomUUID(), caseId: theCase.id, teamId: theCase.teamId }, { effect_tail: committed[1]!.id }, [orphan]);
    await new Promise((resolve) => setTimeout(resolve, ORPHAN_AFTER_MS + 100));
    await admin.indices.refresh({ index: store.indices.outbox });
    const lease = (await store.outbox.acquireLease(theCase.id, 'replica-a', new Date(), 30_000))!;
    expect((await store.outbox.pendingEffects(lease, 10)).map((effect) => effect.id)).toEqual(committed.map((draft) => draft.id));
    expect(await exists(orphan.id)).toBe(true);
  });
});
