import { CaseAccess } from '../../src/cases/case-access';
import type { Case } from '../../src/cases/model';
import { DEFAULT_SLA_POLICY } from '../../src/cases/sla';
import { SlaWatch } from '../../src/cases/sla-watch';
import type { CaseStore } from '../../src/cases/store';
import { Scheduler } from '../../src/scheduler/scheduler';
import { slaJob } from '../../src/scheduler/jobs';
import { BOT, eachStoreKind, MINUTE, NOBODYS_POLICY, openAtStart, replicaSchedulers, START, TestClock } from './support/shared-stores';

/**
 * SLA checks by two replicas (two schedulers over two store instances on the same data), on a clock the test moves
 * through four hours and a bit: every threshold of every case is recorded once, with its notices as outbox effects
 * and a breach as a tag in the user actions, whichever replica checked first.
 */

eachStoreKind((stores) => {
  let clock: TestClock;
  let schedulers: Scheduler[];

  beforeEach(() => {
    clock = new TestClock(START);
    schedulers = replicaSchedulers(stores(), clock, (access) => slaJob(async () => [new SlaWatch(access, DEFAULT_SLA_POLICY, BOT)]));
  });


  /** Both replicas tick every `stepMinutes` (one of them first, then the other, in turn) until `minutes`. */
  async function run(minutes: number, stepMinutes: number, during: (minute: number) => Promise<void> = async () => undefined): Promise<void> {
    for (let minute = 0; minute <= minutes; minute += stepMinutes) {
      await during(minute);
      const [first, second] = minute % 2 ? [schedulers[1]!, schedulers[0]!] : [schedulers[0]!, schedulers[1]!];
      await Promise.all([first.tick(), second.tick()]);
      clock.advance(stepMinutes * MINUTE);
    }
  }

  async function setStatus(store: CaseStore, caseId: string, status: Case['status']): Promise<void> {
    const current = (await store.getCase('T0001', { id: caseId }))!;
    await store.updateCase({ ...current, status }, current.version);
  }

  async function notices(store: CaseStore, caseId: string): Promise<string[]> {
    return (await store.outbox.listEffects(caseId))
      .filter((effect) => effect.kind === 'sla_notice')
      .map(({ payload: { sla } }) => `${sla!.target}:${sla!.level} → ${'userId' in sla!.to ? sla!.to.userId : 'thread' in sla!.to ? 'thread' : 'channel'}`);
  }

  test('every threshold of every case is recorded and announced exactly once between two replicas', async () => {
    const [one, two] = stores().replicas;
    const untouched = await openAtStart(one, { severity: 'critical' });
    const assigned = await openAtStart(two, { severity: 'critical', assignees: ['U0ANA', 'U0BOB'] });
    const closedEarly = await openAtStart(one, { severity: 'critical' });
    const high = await openAtStart(two, { severity: 'high' });

    await run(246, 3, async (minute) => {
      if (minute === 30) await setStatus(one, high.id, 'in-progress');
      if (minute === 99) await setStatus(two, closedEarly.id, 'closed');
    });

    expect(await notices(two, untouched.id)).toEqual([
      'acknowledge:warning → thread', 'acknowledge:warning → channel',
      'acknowledge:breach → thread', 'acknowledge:breach → channel',
      'resolve:warning → thread', 'resolve:warning → channel',
      'resolve:breach → thread', 'resolve:breach → channel',
    ]);
    expect(await notices(one, assigned.id)).toEqual([
      'resolve:warning → thread', 'resolve:warning → U0ANA', 'resolve:warning → U0BOB',
      'resolve:breach → thread', 'resolve:breach → U0ANA', 'resolve:breach → U0BOB',
    ]);
    expect(await notices(one, closedEarly.id)).toEqual(['acknowledge:warning → thread', 'acknowledge:warning → channel', 'acknowledge:breach → thread', 'acknowledge:breach → channel']);
    // High: acknowledged at minute 30 (before its 48-minute warning), and 24 hours to resolve.
    expect(await notices(two, high.id)).toEqual([]);

    const marked = (await one.getCase('T0001', { id: untouched.id }))!;
    expect(marked.slaMarks).toEqual(['acknowledge:warning', 'acknowledge:breach', 'resolve:warning', 'resolve:breach']);
    expect(marked.tags).toEqual(['sla-breached:acknowledge', 'sla-breached:resolve']);
    const tagActions = (await two.listUserActions(untouched.id, { limit: 50 })).filter((action) => action.type === 'tags');
    expect(tagActions.map((action) => [action.action, action.payload, action.createdBy.userId])).toEqual([
      ['add', { tags: ['sla-breached:resolve'] }, BOT.userId],
      ['add', { tags: ['sla-breached:acknowledge'] }, BOT.userId],
    ]);
    // A breach also brings the card up to date (it shows the tag); a warning leaves the card alone.
    expect((await one.outbox.listEffects(untouched.id)).filter((effect) => effect.kind === 'edit_card')).toHaveLength(2);
  }, 180_000);

  test('a breach that came while every replica was down is marked once when one comes back, without its late warning', async () => {
    const [one, two] = stores().replicas;
    const theCase = await openAtStart(one, { severity: 'critical' });
    clock.advance(20 * MINUTE);
    await schedulers[1]!.tick();
    await schedulers[0]!.tick();
    clock.advance(MINUTE);
    await Promise.all([schedulers[0]!.tick(), schedulers[1]!.tick()]);
    expect(await notices(two, theCase.id)).toEqual(['acknowledge:breach → thread', 'acknowledge:breach → channel']);
    expect((await one.getCase('T0001', { id: theCase.id }))!.slaMarks).toEqual(['acknowledge:warning', 'acknowledge:breach']);
  });

  test('two replicas checking the same cases at the same moment (no slot between them) still record each threshold once', async () => {
    const [one, two] = stores().replicas;
    const cases = await Promise.all(Array.from({ length: 6 }, (_, index) => openAtStart(index % 2 ? one : two, { severity: 'critical' })));
    clock.advance(13 * MINUTE);
    const watches = stores().replicas.map((store) => new SlaWatch(new CaseAccess(store, NOBODYS_POLICY, clock.now), DEFAULT_SLA_POLICY, BOT));
    const marked = await Promise.all([watches[0]!.check(clock.now()), watches[1]!.check(clock.now()), watches[0]!.check(clock.now())]);
    expect(marked.reduce((sum, count) => sum + count, 0)).toBe(cases.length);
    for (const theCase of cases) expect(await notices(one, theCase.id)).toEqual(['acknowledge:warning → thread', 'acknowledge:warning → channel']);
  });
});
