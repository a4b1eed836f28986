import type { DigestSchedule } from '../../src/cases/digest';
import { type SharedStoreFactory, useStoreAndTwin } from './request-claims-contract';

/** How every store keeps the channels' digest schedules (src/cases/digest.ts): set on one replica, listed on another. */
export function describeDigestSchedulesContract(name: string, factory: SharedStoreFactory): void {
  describe(`Digest schedules: ${name}`, () => {
    const replicas = useStoreAndTwin(factory);

    const schedule = (channelId: string, time: string, teamId = 'T0001'): DigestSchedule => ({ teamId, channelId, time, setBy: { userId: 'U0ALICE', teamId }, setAt: '2026-12-05T09:00:00.000Z' });

    test('set on one replica, listed at once on the other, by channel; setting again replaces; removing says whether there was one', async () => {
      const { store, twin } = replicas();
      await store.digestSchedules.set(schedule('C0B', '08:00'));
      await store.digestSchedules.set(schedule('C0A', '17:30'));
      await store.digestSchedules.set(schedule('C0A', '09:15', 'T0OTHER'));
      expect(await twin.digestSchedules.list('T0001')).toEqual([schedule('C0A', '17:30'), schedule('C0B', '08:00')]);
      await twin.digestSchedules.set(schedule('C0B', '07:45'));
      expect((await store.digestSchedules.list('T0001')).map((entry) => [entry.channelId, entry.time])).toEqual([['C0A', '17:30'], ['C0B', '07:45']]);
      expect(await store.digestSchedules.remove('T0001', 'C0A')).toBe(true);
      expect(await twin.digestSchedules.remove('T0001', 'C0A')).toBe(false);
      expect((await twin.digestSchedules.list('T0001')).map((entry) => entry.channelId)).toEqual(['C0B']);
      expect((await twin.digestSchedules.list('T0OTHER')).map((entry) => entry.time)).toEqual(['09:15']);
    });
  });
}
