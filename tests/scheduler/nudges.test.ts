import { CaseAccess } from '../../src/cases/case-access';
import type { Case } from '../../src/cases/model';
import { NudgeWatch } from '../../src/cases/nudge-watch';
import { DEFAULT_NUDGE_POLICY } from '../../src/cases/nudges';
import type { CaseStore } from '../../src/cases/store';
import { nudgeJob } from '../../src/scheduler/jobs';
import { Scheduler } from '../../src/scheduler/scheduler';
import { BOT, eachStoreKind, MINUTE, NOBODYS_POLICY, openAtStart, replicaSchedulers, START, TestClock } from './support/shared-stores';

/**
 * Stale-case nudges by two replicas on a clock the test moves through a day: a case nobody touches is nudged once per
 * period of its severity (critical: 2 h), a touch starts the period again, a closed case is never nudged, and two
 * replicas checking at the same moment nudge once between them.
 */

eachStoreKind((stores) => {
  let clock: TestClock;
  let schedulers: Scheduler[];

  beforeEach(() => {
    clock = new TestClock(START);
    schedulers = replicaSchedulers(stores(), clock, (access) => nudgeJob(async () => [new NudgeWatch(access, DEFAULT_NUDGE_POLICY, BOT)]));
  });


  /** Both replicas tick every five minutes (in turn first) until `minutes`; `during` runs before each tick. */
  async function run(minutes: number, during: (minute: number) => Promise<void> = async () => undefined): Promise<void> {
    for (let minute = 0; minute <= minutes; minute += 5) {
      await during(minute);
      const [first, second] = (minute / 5) % 2 ? [schedulers[1]!, schedulers[0]!] : [schedulers[0]!, schedulers[1]!];
      await Promise.all([first.tick(), second.tick()]);
      clock.advance(5 * MINUTE);
    }
  }

  /** The minutes after START at which each case was nudged, read from the case after every tick. */
  const nudges = new Map<string, number[]>();
  async function record(store: CaseStore, ids: string[]): Promise<void> {
    for (const id of ids) {
      const nudged = (await store.getCase('T0001', { id }))!.nudgedAt;
      const seen = nudges.get(id) ?? [];
      const minute = nudged ? (Date.parse(nudged) - START) / MINUTE : undefined;
      if (minute !== undefined && seen.at(-1) !== minute) nudges.set(id, [...seen, minute]);
    }
  }
  const nudgedAt = (caseId: string) => nudges.get(caseId) ?? [];

  async function touch(store: CaseStore, caseId: string, status?: Case['status']): Promise<void> {
    const current = (await store.getCase('T0001', { id: caseId }))!;
    await store.updateCase({ ...current, status: status ?? current.status, updatedAt: clock.now().toISOString() }, current.version);
  }

  test('an untouched case is nudged once per period, a touch restarts the period, a closed case never is', async () => {
    nudges.clear();
    const [one, two] = stores().replicas;
    const untouched = await openAtStart(one, { severity: 'critical' });
    const touched = await openAtStart(two, { severity: 'critical' });
    const closed = await openAtStart(one, { severity: 'critical' });
    const low = await openAtStart(two, { severity: 'low' });
    const ids = [untouched.id, touched.id, closed.id, low.id];

    await run(7 * 60, async (minute) => {
      if (minute === 90) await touch(two, touched.id); // before its first nudge at 120
      if (minute === 60) await touch(one, closed.id, 'closed');
      await record(one, ids);
    });
    await record(one, ids);

    // Critical: every 2 hours of no activity; the nudge is not activity.
    expect(nudgedAt(untouched.id)).toEqual([120, 240, 360]);
    expect((await one.outbox.listEffects(untouched.id)).filter((effect) => effect.kind === 'nudge')).toHaveLength(3);
    // Touched at 90: its periods run from there.
    expect(nudgedAt(touched.id)).toEqual([210, 330]);
    expect(nudgedAt(closed.id)).toEqual([]);
    // Low: 72 hours.
    expect(nudgedAt(low.id)).toEqual([]);
    // A nudge records no user action and leaves the case's activity time alone.
    expect(await one.listUserActions(untouched.id, { limit: 10 })).toHaveLength(0);
    expect((await two.getCase('T0001', { id: untouched.id }))!.updatedAt).toBeNull();
  }, 180_000);

  test('two replicas checking the same cases at the same moment nudge each once', async () => {
    const [one, two] = stores().replicas;
    const cases = await Promise.all(Array.from({ length: 6 }, (_, index) => openAtStart(index % 2 ? one : two, { severity: 'high' })));
    clock.advance(8 * 60 * MINUTE);
    const watches = stores().replicas.map((store) => new NudgeWatch(new CaseAccess(store, NOBODYS_POLICY, clock.now), DEFAULT_NUDGE_POLICY, BOT));
    const nudged = await Promise.all([watches[0]!.check(clock.now()), watches[1]!.check(clock.now()), watches[0]!.check(clock.now())]);
    expect(nudged.reduce((sum, count) => sum + count, 0)).toBe(cases.length);
    for (const theCase of cases) expect((await one.outbox.listEffects(theCase.id)).filter((effect) => effect.kind === 'nudge')).toHaveLength(1);
  });
});
