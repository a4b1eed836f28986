import { DigestWatch } from '../../src/cases/digest-watch';
import { deterministicId } from '../../src/cases/ids';
import { streamOfOne } from '../../src/cases/outbox';
import type { CaseStore } from '../../src/cases/store';
import { digestJob } from '../../src/scheduler/jobs';
import { BOT, eachStoreKind, MINUTE, replicaSchedulers, TestClock } from './support/shared-stores';

/**
 * Daily digests by two replicas on a clock the test moves through four days in New York, across the end of summer
 * time (2026-11-01, 02:00 EDT → 01:00 EST, so 01:30 happens twice): one digest per channel per local day, at its local
 * time, whichever replica ticks first; a replica back after the time catches up once.
 */

const ZONE = 'America/New_York';
const DAYS = ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];

eachStoreKind((stores) => {
  const setBefore = '2026-10-29T00:00:00.000Z';
  const schedule = (store: CaseStore, channelId: string, time: string, setAt = setBefore) => store.digestSchedules.set({ teamId: 'T0001', channelId, time, setBy: BOT, setAt });

  /** When each recorded digest of the channel is for (its `at`), by local day; absent days were not recorded. */
  async function digestsOf(store: CaseStore, channelId: string, days = DAYS): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    for (const day of days) {
      const effects = await store.outbox.listEffects(streamOfOne(deterministicId('digest', 'T0001', channelId, day)));
      if (effects.length) found[day] = effects.map((effect) => effect.payload.digest!.at);
    }
    return found;
  }

  test('one digest per channel per local day, at its local time, across the end of summer time', async () => {
    const [one, two] = stores().replicas;
    await schedule(one, 'C0MORNING', '08:00');
    await schedule(two, 'C0NIGHT', '01:30');
    const clock = new TestClock(Date.parse('2026-10-30T00:00:00Z'));
    const schedulers = replicaSchedulers(stores(), clock, (access) => digestJob(async () => [new DigestWatch(access.store, ZONE, BOT)]));
    for (let step = 0; clock.now() < new Date('2026-11-03T00:00:00Z'); step += 1) {
      const [first, second] = step % 2 ? [schedulers[1]!, schedulers[0]!] : [schedulers[0]!, schedulers[1]!];
      await Promise.all([first.tick(), second.tick()]);
      clock.advance(15 * MINUTE);
    }
    // 08:00 is 12:00 UTC in summer time, 13:00 UTC after.
    expect(await digestsOf(two, 'C0MORNING')).toEqual({
      '2026-10-30': ['2026-10-30T12:00:00.000Z'],
      '2026-10-31': ['2026-10-31T12:00:00.000Z'],
      '2026-11-01': ['2026-11-01T13:00:00.000Z'],
      '2026-11-02': ['2026-11-02T13:00:00.000Z'],
    });
    // 01:30 happens twice on November 1: one digest, at the first.
    expect(await digestsOf(one, 'C0NIGHT')).toEqual({
      '2026-10-30': ['2026-10-30T05:30:00.000Z'],
      '2026-10-31': ['2026-10-31T05:30:00.000Z'],
      '2026-11-01': ['2026-11-01T05:30:00.000Z'],
      '2026-11-02': ['2026-11-02T06:30:00.000Z'],
    });
  }, 180_000);

  test('replicas down at the time catch up once when one comes back; a digest asked for after its time starts the next day', async () => {
    const [one, two] = stores().replicas;
    await schedule(one, 'C0MORNING', '08:00');
    await schedule(one, 'C0LATE', '08:00', '2026-10-30T13:30:00.000Z'); // set at 09:30 EDT, after its time
    const watches = stores().replicas.map((store) => new DigestWatch(store, ZONE, BOT));
    const tenAm = new Date('2026-10-30T14:00:00Z');
    const recorded = await Promise.all([watches[0]!.check(tenAm), watches[1]!.check(tenAm), watches[0]!.check(tenAm)]);
    expect(recorded.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await digestsOf(two, 'C0MORNING', ['2026-10-30'])).toEqual({ '2026-10-30': ['2026-10-30T12:00:00.000Z'] });
    expect(await digestsOf(two, 'C0LATE', ['2026-10-30'])).toEqual({});
    expect(await watches[1]!.check(new Date('2026-10-31T12:00:00Z'))).toBe(2);
  });
});
