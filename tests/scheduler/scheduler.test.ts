import type { ScheduledJob, Slot } from '../../src/cases/schedule';
import { periodicSlot } from '../../src/cases/schedule';
import { createLogger } from '../../src/log';
import { Scheduler } from '../../src/scheduler/scheduler';
import { eachStoreKind, TestClock } from './support/shared-stores';

/**
 * The scheduler over two store instances on the same data (two replicas), on a clock the test moves: each slot of a
 * job is run to the end exactly once between the replicas, whatever they do at the same time, and a slot that
 * passed while the replicas were down runs once when one comes back.
 */

const logger = createLogger('silent');
const HOUR = 3_600_000;
const START = Date.parse('2026-12-04T10:00:00Z');
const CLAIM_MS = 60_000;

/** A job that records which replica finished which slot; `hold` keeps a run going until the test lets it go. */
class RecordingJob implements ScheduledJob {
  readonly name = 'report';
  readonly finished: { slot: string; replica: string }[] = [];
  started = 0;
  hold: Promise<void> | null = null;
  constructor(private readonly replica: string) {}
  slotAt(now: Date): Slot {
    return periodicSlot(this.name, HOUR, now);
  }
  async run(slot: Slot): Promise<void> {
    this.started += 1;
    if (this.hold) await this.hold;
    this.finished.push({ slot: slot.id, replica: this.replica });
  }
}

eachStoreKind((stores) => {
  let clock: TestClock;
  let jobs: [RecordingJob, RecordingJob];
  let schedulers: [Scheduler, Scheduler];

  beforeEach(() => {
    clock = new TestClock(START);
    jobs = [new RecordingJob('a'), new RecordingJob('b')];
    schedulers = [0, 1].map((index) => new Scheduler({ store: stores().replicas[index]!.outbox, logger, jobs: [jobs[index]!], claimMs: CLAIM_MS, now: clock.now, replica: `replica-${index}` })) as [Scheduler, Scheduler];
  });

  const finished = () => [...jobs[0].finished, ...jobs[1].finished].map((run) => run.slot).sort();

  test('two replicas ticking together over a day run each hourly slot exactly once', async () => {
    for (let step = 0; step < 24 * 4; step += 1) {
      const [first, second] = step % 3 === 0 ? [schedulers[1], schedulers[0]] : schedulers; // who asks first varies
      await Promise.all([first.tick(), second.tick(), first.tick()]);
      clock.advance(15 * 60_000);
    }
    const expected = Array.from({ length: 24 }, (_, hour) => `report:${new Date(START + hour * HOUR).toISOString()}`);
    expect(finished()).toEqual(expected.sort());
    // Both replicas did some of the work (otherwise the race was not tested).
    expect(jobs[0].finished.length).toBeGreaterThan(0);
    expect(jobs[1].finished.length).toBeGreaterThan(0);
  }, 120_000);

  test('a slot that passed while every replica was down runs once, at the first tick of the one that comes back', async () => {
    await schedulers[0].tick();
    expect(finished()).toEqual(['report:2026-12-04T10:00:00.000Z']);
    clock.advance(3 * HOUR + 20 * 60_000); // down through 11:00, 12:00 and into 13:00
    await schedulers[1].tick();
    await schedulers[1].tick();
    await schedulers[0].tick();
    expect(finished()).toEqual(['report:2026-12-04T10:00:00.000Z', 'report:2026-12-04T13:00:00.000Z']);
    expect(jobs[1].finished.map((run) => run.slot)).toEqual(['report:2026-12-04T13:00:00.000Z']);
  });

  test('a replica that dies mid-slot leaves it to another once its claim expires; the slot finishes once', async () => {
    let release!: () => void;
    jobs[0].hold = new Promise((resolve) => (release = resolve));
    const dying = schedulers[0].tick(); // claims the slot and never finishes it (until the very end of the test)
    await waitFor(async () => jobs[0].started === 1);
    await schedulers[1].tick();
    expect(finished()).toEqual([]); // still claimed by the replica that died
    clock.advance(CLAIM_MS + 1);
    await schedulers[1].tick();
    expect(jobs[1].finished.map((run) => run.slot)).toEqual(['report:2026-12-04T10:00:00.000Z']);
    await schedulers[1].tick();
    expect(finished()).toHaveLength(1);
    release(); // the "dead" replica wakes up: it cannot mark as its own a slot another one took over
    await dying;
    await schedulers[0].tick();
    expect(jobs[1].finished).toHaveLength(1);
  });

  test('a slot whose work fails is tried again at the next tick, by any replica', async () => {
    let failures = 1;
    const flaky: ScheduledJob = {
      name: 'flaky',
      slotAt: (now) => periodicSlot('flaky', HOUR, now),
      run: async (slot) => {
        if (failures-- > 0) throw new Error('cluster unavailable');
        jobs[0].finished.push({ slot: slot.id, replica: 'either' });
      },
    };
    const scheduler = new Scheduler({ store: stores().replicas[0].outbox, logger, jobs: [flaky], now: clock.now });
    await scheduler.tick();
    expect(finished()).toEqual([]);
    await scheduler.tick();
    await scheduler.tick();
    expect(finished()).toEqual(['flaky:2026-12-04T10:00:00.000Z']);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries += 1) {
    if (tries > 200) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
