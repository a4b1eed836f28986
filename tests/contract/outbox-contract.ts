import { randomUUID } from 'node:crypto';
import { DuplicateAttachmentError, VersionConflictError } from '../../src/cases/errors';
import type { Actor, Attachment, Case } from '../../src/cases/model';
import { type EffectDraft, type EffectKind, type Lease, LeaseLostError, streamOfEffect, streamOfOne } from '../../src/cases/outbox';
import type { CaseStore } from '../../src/cases/store';
import { draftCase } from './case-store-contract';

/**
 * The behaviour every store's outbox must have (src/cases/outbox.ts), run on each store like the CaseStore
 * contract. Effects are recorded through case writes, as the use-cases record them, or alone (an export).
 */
export interface OutboxStoreFactory {
  create(): Promise<CaseStore>;
  /** A second store instance on the same data (another replica), not yet initialised. */
  twin(store: CaseStore): Promise<CaseStore>;
  /** Drops whatever `create` made; closes twins only. */
  destroy(store: CaseStore, options?: { twin?: boolean }): Promise<void>;
  /** Makes recent writes visible to the store's searches (dueStreams, pruneSettled); a no-op where they already are. */
  searchable(store: CaseStore): Promise<void>;
}

const alice: Actor = { userId: 'U0ALICE', teamId: 'T0001', name: 'alice' };
const TTL_MS = 30_000;

export function effectDraft(kind: EffectKind = 'thread_line'): EffectDraft {
  return { id: randomUUID(), kind, payload: { actor: alice } };
}

export function describeOutboxContract(name: string, factory: OutboxStoreFactory): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let store: CaseStore;
    const twins: CaseStore[] = [];

    beforeEach(async () => {
      store = await factory.create();
      await store.init();
    });

    afterEach(async () => {
      for (const twin of twins.splice(0)) await factory.destroy(twin, { twin: true });
      await factory.destroy(store);
    });

    async function replica(): Promise<CaseStore> {
      const twin = await factory.twin(store);
      await twin.init();
      twins.push(twin);
      return twin;
    }

    async function caseWith(drafts: EffectDraft[]): Promise<Case> {
      return (await store.createCase(draftCase(), { effects: drafts })).case;
    }

    async function update(theCase: Case, drafts: EffectDraft[]): Promise<Case> {
      return store.updateCase({ ...theCase, title: `${theCase.title}!` }, theCase.version, { effects: drafts });
    }

    async function ids(stream: string, from: CaseStore = store): Promise<string[]> {
      return (await from.outbox.listEffects(stream)).map((effect) => effect.id);
    }

    async function held(stream: string, from: CaseStore = store, owner = 'replica-a', now = new Date()): Promise<Lease> {
      const lease = await from.outbox.acquireLease(stream, owner, now, TTL_MS);
      if (!lease) throw new Error(`the lease on ${stream} was not free`);
      return lease;
    }

    test('effects of createCase and updateCase are recorded with the write, in order, due at once', async () => {
      const [a, b, c] = [effectDraft('post_card'), effectDraft('thread_line'), effectDraft('edit_card')];
      const theCase = await caseWith([a!, b!]);
      await update(theCase, [c!]);
      const effects = await store.outbox.listEffects(theCase.id);
      expect(effects.map((effect) => effect.id)).toEqual([a!.id, b!.id, c!.id]);
      expect(effects.map((effect) => effect.kind)).toEqual(['post_card', 'thread_line', 'edit_card']);
      for (const effect of effects) {
        expect(effect).toMatchObject({ stream: theCase.id, teamId: 'T0001', state: 'due', attempts: 0, firstAttemptAt: null, settledAt: null });
        expect(Date.parse(effect.notBefore)).toBeLessThanOrEqual(Date.now());
      }
    });

    test('a write that is refused records no effects', async () => {
      const theCase = await caseWith([effectDraft()]);
      const before = await ids(theCase.id);
      await update(theCase, [effectDraft()]);
      // Stale version: the write is refused, and so are its effects.
      await expect(update(theCase, [effectDraft()])).rejects.toBeInstanceOf(VersionConflictError);
      expect(await ids(theCase.id)).toHaveLength(before.length + 1);

      // A new case whose attachment id is taken: nothing of it lands.
      const attachment: Attachment = {
        id: randomUUID(),
        caseId: theCase.id,
        type: 'user',
        data: { comment: 'hello' },
        createdAt: new Date().toISOString(),
        createdBy: alice,
        updatedAt: null,
        updatedBy: null,
        owner: 'securitySolution',
      };
      const latest = (await store.getCase('T0001', { id: theCase.id }))!;
      await store.updateCase(latest, latest.version, { addAttachments: [attachment] });
      const draft = draftCase();
      await expect(store.createCase(draft, { addAttachments: [{ ...attachment, caseId: draft.id }], effects: [effectDraft()] })).rejects.toBeInstanceOf(
        DuplicateAttachmentError,
      );
      expect(await ids(draft.id)).toEqual([]);

      // Creating a case that exists is a no-op: its effects are not recorded a second time.
      const created = draftCase();
      const first = effectDraft('post_card');
      await store.createCase(created, { effects: [first] });
      await expect(store.createCase(created, { effects: [effectDraft('post_card')] })).resolves.toMatchObject({ created: false });
      expect(await ids(created.id)).toEqual([first.id]);
    });

    test('dueStreams lists streams with due effects, but not one whose lease another replica holds', async () => {
      const free = await caseWith([effectDraft()]);
      const leased = await caseWith([effectDraft()]);
      const settled = await caseWith([effectDraft()]);
      const lease = await held(settled.id);
      const [effect] = await store.outbox.pendingEffects(lease, 10);
      await store.outbox.settle(lease, effect!, { state: 'done' }, new Date());
      await store.outbox.releaseLease(lease);
      await held(leased.id, store, 'replica-b');
      await factory.searchable(store);
      const due = await store.outbox.dueStreams(new Date(), 10);
      expect(due).toContain(free.id);
      expect(due).not.toContain(leased.id);
      expect(due).not.toContain(settled.id);
      // Once that lease has expired, the stream is offered again.
      expect(await store.outbox.dueStreams(new Date(Date.now() + TTL_MS + 1000), 10)).toContain(leased.id);
    });

    test('a lease is exclusive between replicas on the same data until it expires, then taken over', async () => {
      const theCase = await caseWith([effectDraft()]);
      const other = await replica();
      const now = new Date();
      const first = await held(theCase.id, store, 'replica-a', now);
      expect(await other.outbox.acquireLease(theCase.id, 'replica-b', now, TTL_MS)).toBeNull();
      expect(await other.outbox.acquireLease(theCase.id, 'replica-b', new Date(now.getTime() + TTL_MS - 1000), TTL_MS)).toBeNull();
      // A renewal moves the expiry on.
      await store.outbox.renewLease(first, new Date(now.getTime() + 10_000), TTL_MS);
      expect(await other.outbox.acquireLease(theCase.id, 'replica-b', new Date(now.getTime() + TTL_MS + 1000), TTL_MS)).toBeNull();
      const takenOver = await other.outbox.acquireLease(theCase.id, 'replica-b', new Date(now.getTime() + 10_000 + TTL_MS + 1000), TTL_MS);
      expect(takenOver).toMatchObject({ stream: theCase.id, owner: 'replica-b' });
      expect(await store.outbox.acquireLease(theCase.id, 'replica-a', new Date(now.getTime() + 10_000 + TTL_MS + 2000), TTL_MS)).toBeNull();
    });

    test('a replica whose lease was taken over can neither start an attempt nor settle what the new holder started', async () => {
      const theCase = await caseWith([effectDraft(), effectDraft()]);
      const other = await replica();
      const now = new Date();
      const lost = await held(theCase.id, store, 'replica-a', now);
      const [first, second] = await store.outbox.pendingEffects(lost, 10);
      const attempted = await store.outbox.startAttempt(lost, first!, now);
      expect(attempted).toMatchObject({ attempts: 1, firstAttemptAt: now.toISOString() });

      const later = new Date(now.getTime() + TTL_MS + 1000);
      const lease = (await other.outbox.acquireLease(theCase.id, 'replica-b', later, TTL_MS))!;
      const [again] = await other.outbox.pendingEffects(lease, 10);
      expect(again).toMatchObject({ id: first!.id, attempts: 1 });
      const retried = await other.outbox.startAttempt(lease, again!, later);

      await expect(store.outbox.startAttempt(lost, second!, later)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.outbox.settle(lost, attempted, { state: 'done' }, later)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.outbox.renewLease(lost, later, TTL_MS)).rejects.toBeInstanceOf(LeaseLostError);
      // Releasing a lost lease leaves the new holder's alone.
      await store.outbox.releaseLease(lost);
      expect(await store.outbox.acquireLease(theCase.id, 'replica-a', later, TTL_MS)).toBeNull();

      await other.outbox.settle(lease, retried, { state: 'done' }, later);
      expect((await other.outbox.listEffects(theCase.id)).map((effect) => [effect.state, effect.attempts])).toEqual([
        ['done', 2],
        ['due', 0],
      ]);
    });

    test('a released lease is free at once, and a stale holder of it stays locked out after it is taken again', async () => {
      const theCase = await caseWith([effectDraft(), effectDraft()]);
      const other = await replica();
      const now = new Date();
      const stale = await held(theCase.id, store, 'replica-a', now);
      const [first, second] = await store.outbox.pendingEffects(stale, 10);
      const later = new Date(now.getTime() + TTL_MS + 1000);
      const taken = (await other.outbox.acquireLease(theCase.id, 'replica-b', later, TTL_MS))!;
      await other.outbox.releaseLease(taken);
      const retaken = (await other.outbox.acquireLease(theCase.id, 'replica-b', later, TTL_MS))!;
      expect(retaken).not.toBeNull();
      await other.outbox.pendingEffects(retaken, 10);
      await expect(store.outbox.startAttempt(stale, first!, later)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.outbox.startAttempt(stale, second!, later)).rejects.toBeInstanceOf(LeaseLostError);
    });

    test('pendingEffects is the backlog oldest first, without settled effects, at most limit', async () => {
      const [a, b, c, d] = [effectDraft(), effectDraft(), effectDraft(), effectDraft()];
      const theCase = await caseWith([a!, b!]);
      await update(theCase, [c!, d!]);
      const lease = await held(theCase.id);
      const backlog = await store.outbox.pendingEffects(lease, 10);
      expect(backlog.map((effect) => effect.id)).toEqual([a!.id, b!.id, c!.id, d!.id]);
      await store.outbox.settle(lease, await store.outbox.startAttempt(lease, backlog[0]!, new Date()), { state: 'done' }, new Date());
      await store.outbox.settle(lease, backlog[1]!, { state: 'failed', note: 'channel archived' }, new Date());
      expect((await store.outbox.pendingEffects(lease, 10)).map((effect) => effect.id)).toEqual([c!.id, d!.id]);
      expect((await store.outbox.pendingEffects(lease, 1)).map((effect) => effect.id)).toEqual([c!.id]);
      const listed = await store.outbox.listEffects(theCase.id);
      expect(listed.map((effect) => effect.state)).toEqual(['done', 'failed', 'due', 'due']);
      expect(listed[1]).toMatchObject({ lastError: 'channel archived' });
      expect(listed[0]!.settledAt).not.toBeNull();
    });

    test("a case's Kibana pushes are a lane of their own: in order within it, and neither lane waits for the other", async () => {
      const [card, push1, line, push2] = [effectDraft('post_card'), effectDraft('kibana_push'), effectDraft('thread_line'), effectDraft('kibana_push')];
      const theCase = await caseWith([card!, push1!]);
      await update(theCase, [line!, push2!]);
      const lane = streamOfEffect(theCase.id, 'kibana_push');
      expect(lane).not.toBe(theCase.id);
      expect(await ids(theCase.id)).toEqual([card!.id, line!.id]);
      expect(await ids(lane)).toEqual([push1!.id, push2!.id]);
      await factory.searchable(store);
      expect(await store.outbox.dueStreams(new Date(), 100)).toEqual(expect.arrayContaining([theCase.id, lane]));

      // Kibana is down: its first push waits for a retry an hour away, and the case's own lane goes on regardless.
      const other = await replica();
      const kibanaLease = await held(lane, other);
      const [first] = await other.outbox.pendingEffects(kibanaLease, 10);
      expect(first!.id).toBe(push1!.id);
      await other.outbox.settle(kibanaLease, await other.outbox.startAttempt(kibanaLease, first!, new Date()), { state: 'due', retryAt: new Date(Date.now() + 3_600_000), error: 'Kibana: ECONNREFUSED', uncertain: false }, new Date());
      const caseLease = await held(theCase.id);
      const slackBacklog = await store.outbox.pendingEffects(caseLease, 10);
      expect(slackBacklog.map((effect) => effect.id)).toEqual([card!.id, line!.id]);
      for (const effect of slackBacklog) await store.outbox.settle(caseLease, await store.outbox.startAttempt(caseLease, effect, new Date()), { state: 'done' }, new Date());
      expect(await store.outbox.pendingEffects(caseLease, 10)).toEqual([]);

      // The Kibana lane still has both pushes, the first one first, after the Slack lane is all settled.
      expect((await other.outbox.pendingEffects(kibanaLease, 10)).map((effect) => effect.id)).toEqual([push1!.id, push2!.id]);
      const [retried] = await other.outbox.pendingEffects(kibanaLease, 1);
      await other.outbox.settle(kibanaLease, retried!, { state: 'failed', note: 'refused' }, new Date());
      await factory.searchable(store);
      expect((await store.outbox.failedEffects(lane, 5)).map((effect) => effect.id)).toEqual([push1!.id]);
      expect(await store.outbox.failedEffects(theCase.id, 5)).toEqual([]);
    });

    test('an effect recorded alone is its own stream: recorded once by its id, due at once, seen by another replica, its backlog until settled', async () => {
      const draft = effectDraft('deliver_export');
      const alone = (await store.outbox.recordAlone('T0001', draft))!;
      expect(alone).toMatchObject({ id: draft.id, stream: streamOfOne(draft.id), teamId: 'T0001', kind: 'deliver_export', state: 'due', attempts: 0 });
      const other = await replica();
      // The same id again, from another replica: recorded once.
      expect(await other.outbox.recordAlone('T0001', { ...effectDraft('deliver_export'), id: draft.id })).toBeNull();
      await factory.searchable(store);
      expect(await other.outbox.dueStreams(new Date(), 100)).toContain(alone.stream);
      const lease = await held(alone.stream, other);
      const [pending] = await other.outbox.pendingEffects(lease, 10);
      expect(pending).toMatchObject({ id: draft.id, payload: draft.payload });
      await other.outbox.settle(lease, await other.outbox.startAttempt(lease, pending!, new Date()), { state: 'done' }, new Date());
      expect(await other.outbox.pendingEffects(lease, 10)).toEqual([]);
      expect((await store.outbox.listEffects(alone.stream)).map((effect) => effect.state)).toEqual(['done']);
    });

    test('an effect deferred to a retry time is not due before it, then comes back with its attempts and error', async () => {
      const theCase = await caseWith([effectDraft()]);
      const now = new Date();
      const lease = await held(theCase.id, store, 'replica-a', now);
      const [first] = await store.outbox.pendingEffects(lease, 10);
      const attempted = await store.outbox.startAttempt(lease, first!, now);
      const retryAt = new Date(now.getTime() + 60_000);
      await store.outbox.settle(lease, attempted, { state: 'due', retryAt, error: 'ratelimited', uncertain: false }, now);
      await store.outbox.releaseLease(lease);
      await factory.searchable(store);
      expect(await store.outbox.dueStreams(new Date(now.getTime() + 30_000), 10)).not.toContain(theCase.id);
      expect(await store.outbox.dueStreams(new Date(retryAt.getTime() + 1), 10)).toContain(theCase.id);
      const again = await held(theCase.id, store, 'replica-a', new Date(retryAt.getTime() + 1));
      const [head] = await store.outbox.pendingEffects(again, 10);
      expect(head).toMatchObject({ id: first!.id, attempts: 1, notBefore: retryAt.toISOString(), lastError: 'ratelimited' });
    });

    test('failedEffects lists what was given up on in a stream, newest first, at most limit', async () => {
      const [a, b, c] = [effectDraft(), effectDraft(), effectDraft()];
      const theCase = await caseWith([a!]);
      await update(await update(theCase, [b!]), [c!]);
      const other = await caseWith([effectDraft()]);
      const lease = await held(theCase.id);
      const [first, second, third] = await store.outbox.pendingEffects(lease, 10);
      await store.outbox.settle(lease, first!, { state: 'failed', note: 'is_archived' }, new Date());
      await store.outbox.settle(lease, second!, { state: 'done' }, new Date());
      await store.outbox.settle(lease, third!, { state: 'failed', note: 'restricted_action' }, new Date());
      await factory.searchable(store);
      const failed = await store.outbox.failedEffects(theCase.id, 10);
      expect(failed.map((effect) => [effect.id, effect.lastError])).toEqual([
        [c!.id, 'restricted_action'],
        [a!.id, 'is_archived'],
      ]);
      expect((await store.outbox.failedEffects(theCase.id, 1)).map((effect) => effect.id)).toEqual([c!.id]);
      expect(await store.outbox.failedEffects(other.id, 10)).toEqual([]);
    });

    test('a pruning forgets what was given up on before its horizon and keeps listing what was given up on since', async () => {
      const theCase = await caseWith([effectDraft(), effectDraft()]);
      const lease = await held(theCase.id);
      const [old, recent] = await store.outbox.pendingEffects(lease, 10);
      const horizon = new Date();
      await store.outbox.settle(lease, old!, { state: 'failed', note: 'is_archived' }, new Date(horizon.getTime() - 60_000));
      await store.outbox.settle(lease, recent!, { state: 'failed', note: 'restricted_action' }, new Date(horizon.getTime() + 60_000));
      await factory.searchable(store);
      expect(await store.outbox.pruneSettled(horizon)).toBe(1);
      await factory.searchable(store);
      expect((await store.outbox.failedEffects(theCase.id, 10)).map((effect) => effect.id)).toEqual([recent!.id]);
      expect(await store.outbox.pruneSettled(new Date(horizon.getTime() + 120_000))).toBe(1);
      await factory.searchable(store);
      expect(await store.outbox.failedEffects(theCase.id, 10)).toEqual([]);
    });

    test('pruneSettled deletes effects settled before the given time, and nothing else', async () => {
      const theCase = await caseWith([effectDraft(), effectDraft(), effectDraft()]);
      const lease = await held(theCase.id);
      const [a, b, c] = await store.outbox.pendingEffects(lease, 10);
      const settledAt = new Date();
      await store.outbox.settle(lease, a!, { state: 'done' }, settledAt);
      await store.outbox.settle(lease, b!, { state: 'failed', note: 'gone' }, settledAt);
      await factory.searchable(store);
      expect(await store.outbox.pruneSettled(settledAt)).toBe(0);
      expect(await store.outbox.pruneSettled(new Date(settledAt.getTime() + 1))).toBe(2);
      expect(await ids(theCase.id)).toEqual([c!.id]);
      expect((await store.outbox.pendingEffects(lease, 10)).map((effect) => effect.id)).toEqual([c!.id]);
    });
  });
}
