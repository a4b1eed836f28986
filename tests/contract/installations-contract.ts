import type { InstallationRecord } from '../../src/cases/installations';
import { type SharedStoreFactory, useStoreAndTwin } from './request-claims-contract';

/** How every store keeps where the app is installed (src/cases/installations.ts): saved on one replica, found on another. */
export function describeInstallationsContract(name: string, factory: SharedStoreFactory): void {
  describe(`Installations: ${name}`, () => {
    const replicas = useStoreAndTwin(factory);

    const record = (key: string, sealed: string, ids: Partial<Pick<InstallationRecord, 'teamId' | 'enterpriseId'>> = {}): InstallationRecord => ({
      key,
      teamId: ids.teamId ?? null,
      enterpriseId: ids.enterpriseId ?? null,
      sealed,
      updatedAt: '2026-12-06T08:00:00.000Z',
    });

    test('saved on one replica, found at once on the other; saving again replaces; removing says whether there was one', async () => {
      const { store, twin } = replicas();
      const workspace = record('team:T0001', 'v1.sealed-a', { teamId: 'T0001' });
      const org = record('enterprise:E0001', 'v1.sealed-org', { enterpriseId: 'E0001' });
      await store.installations.save(workspace);
      await store.installations.save(org);
      expect(await twin.installations.find('team:T0001')).toEqual(workspace);
      expect(await twin.installations.find('enterprise:E0001')).toEqual(org);
      expect(await twin.installations.find('team:T0002')).toBeNull();
      expect(await twin.installations.list()).toEqual([org, workspace]);
      const refreshed = { ...workspace, sealed: 'v1.sealed-b', updatedAt: '2026-12-06T09:00:00.000Z' };
      await twin.installations.save(refreshed);
      expect(await store.installations.find('team:T0001')).toEqual(refreshed);
      expect(await store.installations.remove('team:T0001')).toBe(true);
      expect(await twin.installations.remove('team:T0001')).toBe(false);
      expect(await twin.installations.find('team:T0001')).toBeNull();
      expect(await twin.installations.find('enterprise:E0001')).toEqual(org);
      expect(await twin.installations.list()).toEqual([org]);
    });
  });
}
