import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Effect, type EffectDraft, streamOfOne } from '../../src/cases/outbox';
import { createLogger } from '../../src/log';
import { Dispatcher, type DispatcherOptions, type EffectHandler, type EffectHandlers, type FailureVerdict } from '../../src/outbox/dispatcher';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { draftCase } from '../contract/case-store-contract';
import { effectDraft } from '../contract/outbox-contract';

/**
 * The dispatcher over a real SQLite store, with handlers written here (they are its input). Time that matters
 * (retry times, deadlines) runs on a clock the test moves forward, so nothing waits for a real backoff.
 */

class Clock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

class SlackDown extends Error {
  constructor(readonly afterMs?: number) {
    super('slack is down');
  }
}

const logger = createLogger('silent');
/** Every failure is retried; as after a lost answer, the failed call may have done its work (so `retrying` is true next). */
const retryAll = (error: unknown): FailureVerdict => ({ retry: true, uncertain: true, afterMs: error instanceof SlackDown ? error.afterMs : undefined, reason: String(error) });

/** The same handler for every kind of effect. */
function everyKind(handler: EffectHandler): EffectHandlers {
  return { post_card: handler, edit_card: handler, thread_line: handler, upload_chart: handler, sla_notice: handler, index_event: handler, deliver_export: handler, nudge: handler, digest: handler, kibana_push: handler, open_room: handler, deliver_report: handler, close_room: handler };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the dispatcher');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let dir: string;
let store: SqliteCaseStore;
const running: Dispatcher[] = [];
const stores: SqliteCaseStore[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-dispatcher-'));
  store = new SqliteCaseStore(dir);
  await store.init();
  stores.push(store);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop()));
  for (const opened of stores.splice(0)) await opened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function dispatcher(handlers: EffectHandlers, options: Partial<DispatcherOptions> = {}): Dispatcher {
  const started = new Dispatcher({ store: store.outbox, logger, classify: retryAll, pollMs: 10, ...options });
  started.start(handlers);
  running.push(started);
  return started;
}

/** A case recorded with these effects: its id is their stream. */
async function stream(drafts: EffectDraft[], on: SqliteCaseStore = store): Promise<string> {
  return (await on.createCase(draftCase(), { effects: drafts })).case.id;
}

async function states(streamId: string): Promise<Effect['state'][]> {
  return (await store.outbox.listEffects(streamId)).map((effect) => effect.state);
}

test('effects of one stream are delivered strictly in order, the first failing twice holding back the rest', async () => {
  const drafts = [effectDraft('post_card'), effectDraft('edit_card'), effectDraft('thread_line')];
  const attempts: { id: string; retrying: boolean; following: number }[] = [];
  let failures = 0;
  dispatcher(
    everyKind({
      async deliver(effect, context) {
        attempts.push({ id: effect.id, retrying: context.retrying, following: context.following.length });
        if (effect.id === drafts[0]!.id && failures < 2) {
          failures += 1;
          throw new SlackDown();
        }
      },
    }),
  );
  const id = await stream(drafts);
  // The two retries wait for the real backoff (about 0.5 s, then 1 s).
  await until(async () => (await states(id)).every((state) => state === 'done'));
  expect(attempts.map((attempt) => attempt.id)).toEqual([drafts[0]!.id, drafts[0]!.id, drafts[0]!.id, drafts[1]!.id, drafts[2]!.id]);
  // `retrying` says an earlier attempt may have done the work; `following` lets a burst be coalesced.
  expect(attempts.map((attempt) => attempt.retrying)).toEqual([false, true, true, false, false]);
  expect(attempts.map((attempt) => attempt.following)).toEqual([2, 2, 2, 1, 0]);
  expect((await store.outbox.listEffects(id))[0]).toMatchObject({ attempts: 3, lastError: 'Error: slack is down' });
});

test('different streams are delivered concurrently, never more than `concurrency` at once', async () => {
  let inFlight = 0;
  let most = 0;
  const delivered: string[] = [];
  const ids = await Promise.all(Array.from({ length: 6 }, () => stream([effectDraft(), effectDraft()])));
  dispatcher(
    everyKind({
      async deliver(effect) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inFlight -= 1;
        delivered.push(effect.id);
      },
    }),
    { concurrency: 2 },
  );
  await until(() => delivered.length === 12);
  expect(most).toBe(2);
  for (const id of ids) expect(await states(id)).toEqual(['done', 'done']);
});

test('a rate-limited effect is not retried before the time the failure asked for', async () => {
  const clock = new Clock();
  const attemptedAt: number[] = [];
  const draft = effectDraft();
  const dispatched = dispatcher(
    everyKind({
      async deliver() {
        attemptedAt.push(clock.now().getTime());
        if (attemptedAt.length === 1) throw new SlackDown(10 * 60_000);
      },
    }),
    { now: clock.now },
  );
  const id = await stream([draft]);
  dispatched.due(id);
  await until(() => attemptedAt.length === 1);
  clock.advance(5 * 60_000); // well past any backoff, but not past Retry-After
  await new Promise((resolve) => setTimeout(resolve, 150)); // many polls
  expect(attemptedAt).toHaveLength(1);
  expect(await states(id)).toEqual(['due']);
  clock.advance(5 * 60_000);
  await until(() => attemptedAt.length === 2);
  expect(attemptedAt[1]! - attemptedAt[0]!).toBeGreaterThanOrEqual(10 * 60_000);
  await until(async () => (await states(id))[0] === 'done');
});

test('an effect not delivered by its deadline is settled failed, its giveUp told once, and the effects after it go on', async () => {
  const clock = new Clock();
  const [doomed, next] = [effectDraft('post_card'), effectDraft('thread_line')];
  const givenUp: { id: string; reason: string }[] = [];
  const delivered: string[] = [];
  dispatcher(
    everyKind({
      async deliver(effect) {
        if (effect.id === doomed.id) {
          clock.advance(2 * 60_000);
          throw new SlackDown();
        }
        delivered.push(effect.id);
      },
      async giveUp(effect, reason) {
        givenUp.push({ id: effect.id, reason });
      },
    }),
    { now: clock.now, giveUpAfterMs: 5 * 60_000 },
  );
  const id = await stream([doomed, next]);
  await until(() => delivered.length === 1);
  expect(delivered).toEqual([next.id]);
  expect(givenUp).toEqual([{ id: doomed.id, reason: 'Error: slack is down' }]);
  const [failed, done] = await store.outbox.listEffects(id);
  expect(failed).toMatchObject({ state: 'failed', lastError: 'Error: slack is down' });
  expect(failed!.attempts).toBeGreaterThan(1);
  expect(done).toMatchObject({ state: 'done' });
});

test('an effect that cannot be retried is settled failed at once', async () => {
  const givenUp: string[] = [];
  const draft = effectDraft();
  const dispatched = dispatcher(
    everyKind({
      async deliver() {
        throw new Error('channel_not_found');
      },
      async giveUp(effect) {
        givenUp.push(effect.id);
      },
    }),
    { classify: (error) => ({ retry: false, reason: String(error) }) },
  );
  const id = await stream([draft]);
  dispatched.due(id);
  await until(() => givenUp.length === 1);
  expect((await store.outbox.listEffects(id))[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: 'Error: channel_not_found' });
});

test('two dispatchers over two store instances on one SQLite file deliver each of 200 effects exactly once', async () => {
  const second = new SqliteCaseStore(dir);
  await second.init();
  stores.push(second);
  const deliveries = new Map<string, number>();
  const handlers = everyKind({
    async deliver(effect) {
      deliveries.set(effect.id, (deliveries.get(effect.id) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  dispatcher(handlers, { owner: 'replica-a' });
  dispatcher(handlers, { owner: 'replica-b', store: second.outbox });
  const streams = await Promise.all(Array.from({ length: 20 }, (_, index) => stream(Array.from({ length: 10 }, () => effectDraft()), index % 2 ? second : store)));
  await until(async () => (await Promise.all(streams.map(states))).flat().every((state) => state === 'done'), 15_000);
  expect(deliveries.size).toBe(200);
  expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
});

test('a delivery that outlasts the lease keeps it: a second replica polling all along does not deliver it again', async () => {
  const second = new SqliteCaseStore(dir);
  await second.init();
  stores.push(second);
  const deliveries: string[] = [];
  const handlers = everyKind({
    async deliver(effect) {
      deliveries.push(effect.id);
      await new Promise((resolve) => setTimeout(resolve, 600)); // an export longer than three leases
    },
  });
  const id = await stream([effectDraft()]);
  dispatcher(handlers, { owner: 'replica-a', leaseMs: 200 });
  await until(() => deliveries.length === 1);
  dispatcher(handlers, { owner: 'replica-b', store: second.outbox, leaseMs: 200 });
  await until(async () => (await states(id))[0] === 'done');
  expect(deliveries).toHaveLength(1);
});

test('an effect that belongs to no case is its own stream, delivered like any other', async () => {
  const delivered: string[] = [];
  dispatcher(everyKind({ deliver: async (effect) => void delivered.push(effect.stream) }));
  const alone = (await store.outbox.recordAlone('T0001', effectDraft('deliver_export')))!;
  expect(alone.stream).toBe(streamOfOne(alone.id));
  await until(async () => (await store.outbox.listEffects(alone.stream))[0]?.state === 'done');
  expect(delivered).toEqual([alone.stream]);
});

test('whenSettled resolves true once the effects are delivered, false when one waits for a retry past the wait', async () => {
  let failNext = false;
  const delivered: string[] = [];
  const dispatched = dispatcher(
    everyKind({
      async deliver(effect) {
        if (failNext) throw new SlackDown(60_000);
        delivered.push(effect.id);
      },
    }),
    { pollMs: 60_000 }, // only `due` wakes it, as after a local write
  );
  const draft = effectDraft();
  const id = await stream([draft]);
  dispatched.due(id);
  await expect(dispatched.whenSettled([draft.id], 5_000)).resolves.toBe(true);
  expect(delivered).toEqual([draft.id]);

  failNext = true;
  const retried = effectDraft();
  const waiting = await stream([retried]);
  dispatched.due(waiting);
  await expect(dispatched.whenSettled([retried.id], 2_000)).resolves.toBe(false);
  expect(await states(waiting)).toEqual(['due']);
});

describe('a write under way announced with expect', () => {
  const other = (streamId: string) => store.outbox.acquireLease(streamId, 'another replica', new Date(), 30_000);
  /** Long enough for the dispatcher to have taken the lease it went for. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  test('has its lease taken beside the write, and its effects delivered as the write commits', async () => {
    const delivered: string[] = [];
    const local = dispatcher(everyKind({ deliver: async (effect) => void delivered.push(effect.id) }), { pollMs: 600_000 });
    const draft = draftCase();
    local.expect(draft.id);
    await settle();
    // Before the write: the lease is this replica's, and nothing is delivered yet.
    expect(await other(draft.id)).toBeNull();
    const card = effectDraft('post_card');
    await store.createCase(draft, { effects: [card], onCommit: () => local.due(draft.id) });
    await until(() => delivered.length === 1);
    expect(delivered).toEqual([card.id]);
    // The run is over: the lease is free again.
    await until(async () => (await other(draft.id)) !== null);
  });

  test('frees the lease when the write did not commit, delivering nothing', async () => {
    const delivered: string[] = [];
    const local = dispatcher(everyKind({ deliver: async (effect) => void delivered.push(effect.id) }), { pollMs: 600_000 });
    const streamId = draftCase().id;
    local.expect(streamId);
    await settle();
    expect(await other(streamId)).toBeNull();
    local.cancelExpected(streamId);
    await until(async () => (await other(streamId)) !== null);
    expect(delivered).toEqual([]);
  });

  test('does not hold up a write whose lease another replica holds: its commit is delivered once the lease is free', async () => {
    const delivered: string[] = [];
    const local = dispatcher(everyKind({ deliver: async (effect) => void delivered.push(effect.id) }), { pollMs: 50 });
    const draft = draftCase();
    const held = (await other(draft.id))!;
    local.expect(draft.id);
    await settle();
    const card = effectDraft('post_card');
    await store.createCase(draft, { effects: [card], onCommit: () => local.due(draft.id) });
    await store.outbox.releaseLease(held);
    await until(() => delivered.length === 1);
    expect(delivered).toEqual([card.id]);
  });
});

test("a handler's read is handed to its delivery, and a read that fails is a delivery that failed", async () => {
  const delivered: { id: string; read: unknown }[] = [];
  let reads = 0;
  dispatcher({
    ...everyKind({ deliver: async () => undefined }),
    post_card: {
      read: async (effect) => {
        reads += 1;
        if (reads === 1) throw new SlackDown();
        return `read for ${effect.id}`;
      },
      deliver: async (effect, { read }) => void delivered.push({ id: effect.id, read }),
    },
  });
  const card = effectDraft('post_card');
  const id = await stream([card]);
  await until(async () => (await states(id)).every((state) => state === 'done'));
  expect(delivered).toEqual([{ id: card.id, read: `read for ${card.id}` }]);
  expect((await store.outbox.listEffects(id))[0]).toMatchObject({ attempts: 2, lastError: 'Error: slack is down' });
});
