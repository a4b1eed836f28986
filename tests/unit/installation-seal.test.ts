import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import type { InstallationRecord, InstallationRecords } from '../../src/cases/installations';
import { InstallationSeal, InstallationSealError } from '../../src/slack/oauth/installation-seal';
import { NotInstalledError, SealedInstallationStore } from '../../src/slack/oauth/sealed-installation-store';

const BOT_TOKEN = 'xoxb-1111-2222-secretsecretsecret';
const REFRESH_TOKEN = 'xoxe-1-refreshrefreshrefresh';

const installation = (teamId = 'T0001'): Installation => ({
  team: { id: teamId, name: 'SOC' },
  enterprise: undefined,
  user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
  bot: { token: BOT_TOKEN, refreshToken: REFRESH_TOKEN, expiresAt: 1_900_000_000, scopes: ['commands', 'chat:write'], id: 'B0001', userId: 'U0BOT' },
  isEnterpriseInstall: false,
  appId: 'A0CASEOPS',
  tokenType: 'bot',
});

/** The store port as a map, to read back exactly what a store would be given. */
class RecordMap implements InstallationRecords {
  readonly records = new Map<string, InstallationRecord>();
  async save(record: InstallationRecord) {
    this.records.set(record.key, record);
  }
  async find(key: string) {
    return this.records.get(key) ?? null;
  }
  async remove(key: string) {
    return this.records.delete(key);
  }
  async list() {
    return [...this.records.values()];
  }
}

describe('installation seal', () => {
  const seal = new InstallationSeal([randomBytes(32)]);

  test('opens what it sealed for the same record, and nothing else', () => {
    const sealed = seal.seal('{"bot":"xoxb-secret"}', 'team:T0001');
    expect(sealed).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('xoxb');
    expect(seal.open(sealed, 'team:T0001')).toEqual({ plaintext: '{"bot":"xoxb-secret"}', stale: false });
    // Moved onto another workspace's record, or altered by one character: it does not open.
    expect(() => seal.open(sealed, 'team:T0002')).toThrow(InstallationSealError);
    const parts = sealed.split('.');
    parts[3] = `${parts[3]!.slice(0, -1)}${parts[3]!.endsWith('A') ? 'B' : 'A'}`;
    expect(() => seal.open(parts.join('.'), 'team:T0001')).toThrow(InstallationSealError);
    expect(() => new InstallationSeal([randomBytes(32)]).open(sealed, 'team:T0001')).toThrow(/key that is not configured/);
  });

  test('key rotation: a new current key still opens what the old one sealed, as stale', () => {
    const oldKey = randomBytes(32);
    const sealed = new InstallationSeal([oldKey]).seal('tokens', 'team:T0001');
    const rotated = new InstallationSeal([randomBytes(32), oldKey]);
    expect(rotated.open(sealed, 'team:T0001')).toEqual({ plaintext: 'tokens', stale: true });
    expect(rotated.open(rotated.seal('tokens', 'team:T0001'), 'team:T0001').stale).toBe(false);
  });
});

describe('sealed installation store', () => {
  test('a store is given ciphertext only, and Bolt gets the installation back whole', async () => {
    const records = new RecordMap();
    const store = new SealedInstallationStore(records, new InstallationSeal([randomBytes(32)]));
    await store.storeInstallation(installation());
    const stored = records.records.get('team:T0001')!;
    expect(stored).toEqual({ key: 'team:T0001', teamId: 'T0001', enterpriseId: null, sealed: expect.stringMatching(/^v1\./), updatedAt: expect.any(String) });
    expect(JSON.stringify(stored)).not.toMatch(/xoxb-|xoxe-|secret|refresh/);
    expect(await store.fetchInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false })).toEqual(installation());
    expect(store.installerOf('T0001')).toBe('U0INSTALLER');
    expect(await store.workspaces()).toEqual([{ teamId: 'T0001', botUserId: 'U0BOT' }]);
  });

  test('an org-wide install is kept under its enterprise id; a workspace of the org that made a request is then found and served from it until the org uninstalls', async () => {
    const records = new RecordMap();
    const store = new SealedInstallationStore(records, new InstallationSeal([randomBytes(32)]));
    const org: Installation = { ...installation(), team: undefined, enterprise: { id: 'E0001', name: 'Org' }, isEnterpriseInstall: true };
    await store.storeInstallation(org);
    await store.storeInstallation(installation('T0001'));
    expect([...records.records.keys()]).toEqual(['enterprise:E0001', 'team:T0001']);
    // Nothing yet says T0042 belongs to the org: the outbox could not act there.
    expect(await store.queryFor('T0042')).toBeUndefined();
    expect((await store.fetchInstallation({ teamId: 'T0042', enterpriseId: 'E0001', isEnterpriseInstall: true })).bot?.token).toBe(BOT_TOKEN);
    expect(store.installerOf('T0042')).toBe('U0INSTALLER');
    expect(records.records.get('member:T0042')).toEqual({ key: 'member:T0042', teamId: 'T0042', enterpriseId: 'E0001', sealed: null, updatedAt: expect.any(String) });
    expect(await store.queryFor('T0042')).toEqual({ teamId: 'T0042', enterpriseId: 'E0001', isEnterpriseInstall: true });
    expect(await store.queryFor('T0001')).toEqual({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(await store.workspaces()).toEqual(expect.arrayContaining([{ teamId: 'T0042', botUserId: 'U0BOT' }, { teamId: 'T0001', botUserId: 'U0BOT' }]));
    await store.deleteInstallation({ teamId: 'T0042', enterpriseId: 'E0001', isEnterpriseInstall: true });
    expect([...records.records.keys()]).toEqual(['team:T0001']);
    expect(await store.queryFor('T0042')).toBeUndefined();
  });

  test('after a key rotation, reading an installation re-seals it with the current key', async () => {
    const records = new RecordMap();
    const oldKey = randomBytes(32);
    await new SealedInstallationStore(records, new InstallationSeal([oldKey])).storeInstallation(installation());
    const before = records.records.get('team:T0001')!.sealed;
    const newKey = randomBytes(32);
    const rotated = new SealedInstallationStore(records, new InstallationSeal([newKey, oldKey]));
    await rotated.fetchInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false });
    const after = records.records.get('team:T0001')!.sealed;
    expect(after).not.toBe(before);
    // Only the new key is needed from now on.
    const newOnly = new SealedInstallationStore(records, new InstallationSeal([newKey]));
    expect((await newOnly.fetchInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe(BOT_TOKEN);
  });

  test('deleting forgets the installation and its installer; fetching it then says it is not installed', async () => {
    const records = new RecordMap();
    const store = new SealedInstallationStore(records, new InstallationSeal([randomBytes(32)]));
    await store.storeInstallation(installation());
    await store.deleteInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(records.records.size).toBe(0);
    expect(store.installerOf('T0001')).toBeUndefined();
    await expect(store.fetchInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(NotInstalledError);
  });
});
