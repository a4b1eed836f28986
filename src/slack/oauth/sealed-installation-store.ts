import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationRecord, InstallationRecords } from '../../cases/installations';
import type { InstallationSeal } from './installation-seal';

/** Asked for a workspace (or org) caseops is not installed in: never installed, or uninstalled since. */
export class NotInstalledError extends Error {
  constructor(key: string) {
    super(`caseops is not installed in ${key.replace(':', ' ')}`);
  }
}

/** The workspaces the scheduled jobs act in, each with the bot user that acts there. */
export interface ServedWorkspace {
  teamId: string;
  botUserId: string;
}

/**
 * Bolt's installation store over the case store: each installation sealed (installation-seal.ts) under its key,
 * `team:<id>` or, for an Enterprise Grid org-wide install, `enterprise:<id>`. An installation sealed with an older
 * key is re-sealed with the current one when it is read, so a key rotation completes as workspaces are used.
 *
 * An org-wide install names no workspace, and the work caseops does on its own (outbox effects, scheduled jobs)
 * starts from a case's workspace. So the first request from each workspace of such an org leaves a `member:<id>`
 * record pointing at the org: from then on that workspace's effects and jobs find the org's installation.
 *
 * It also remembers, per workspace, who installed caseops there: the installer is one of that workspace's admins.
 * Bolt fetches the installation before every listener runs, so the installer of the workspace a request comes
 * from is known by then on every replica.
 */
export class SealedInstallationStore implements InstallationStore {
  private readonly installers = new Map<string, string>();
  /** Workspaces of org-wide installs whose member record this process has written or read. */
  private readonly knownMembers = new Set<string>();

  constructor(
    private readonly records: InstallationRecords,
    private readonly seal: InstallationSeal,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const key = installation.isEnterpriseInstall && installation.enterprise ? enterpriseKey(installation.enterprise.id) : teamKey(installation.team?.id);
    await this.save(key, installation);
    this.noteInstaller(installation.team?.id ?? key, installation);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = keyOf(query);
    const installation = await this.open(await this.records.find(key), key);
    if (query.isEnterpriseInstall && query.teamId && query.enterpriseId) await this.rememberMember(query.teamId, query.enterpriseId);
    this.noteInstaller(query.teamId ?? key, installation);
    return installation;
  }

  /** Uninstalling from an org forgets its workspaces too. */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = keyOf(query);
    await this.records.remove(key);
    if (key.startsWith('enterprise:')) {
      for (const member of (await this.records.list()).filter((record) => record.key.startsWith('member:') && record.enterpriseId === query.enterpriseId)) {
        await this.records.remove(member.key);
        this.knownMembers.delete(member.teamId ?? '');
      }
    }
    if (query.teamId) this.installers.delete(query.teamId);
  }

  /** How Bolt's installer finds a workspace's installation: its own, or its org's; none when caseops is not there. */
  async queryFor(teamId: string): Promise<InstallationQuery<boolean> | undefined> {
    if (await this.records.find(teamKey(teamId))) return { teamId, enterpriseId: undefined, isEnterpriseInstall: false };
    const member = await this.records.find(memberKey(teamId));
    return member?.enterpriseId ? { teamId, enterpriseId: member.enterpriseId, isEnterpriseInstall: true } : undefined;
  }

  /** The workspaces caseops is installed in, or has served as part of an org-wide install. */
  async workspaces(): Promise<ServedWorkspace[]> {
    const records = await this.records.list();
    const botOf = (record: InstallationRecord | undefined) => (record?.sealed ? this.unseal(record).bot?.userId : undefined);
    const orgs = new Map(records.filter((record) => record.key.startsWith('enterprise:')).map((record) => [record.enterpriseId, record]));
    return records.flatMap((record) => {
      if (!record.teamId || record.key.startsWith('enterprise:')) return [];
      const botUserId = record.key.startsWith('member:') ? botOf(orgs.get(record.enterpriseId)) : botOf(record);
      return botUserId ? [{ teamId: record.teamId, botUserId }] : [];
    });
  }

  /** Who installed caseops in the workspace, when a request from it was authorized in this process. */
  installerOf(teamId: string): string | undefined {
    return this.installers.get(teamId);
  }

  private async open(record: InstallationRecord | null, key: string): Promise<Installation> {
    if (!record?.sealed) throw new NotInstalledError(key);
    const { plaintext, stale } = this.seal.open(record.sealed, key);
    const installation = JSON.parse(plaintext) as Installation;
    if (stale) await this.save(key, installation);
    return installation;
  }

  private unseal(record: InstallationRecord): Installation {
    return JSON.parse(this.seal.open(record.sealed!, record.key).plaintext) as Installation;
  }

  private async rememberMember(teamId: string, enterpriseId: string): Promise<void> {
    if (this.knownMembers.has(teamId)) return;
    if (!(await this.records.find(memberKey(teamId)))) {
      await this.records.save({ key: memberKey(teamId), teamId, enterpriseId, sealed: null, updatedAt: this.now().toISOString() });
    }
    this.knownMembers.add(teamId);
  }

  private async save(key: string, installation: Installation): Promise<void> {
    await this.records.save({
      key,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      sealed: this.seal.seal(JSON.stringify(installation), key),
      updatedAt: this.now().toISOString(),
    });
  }

  private noteInstaller(teamId: string, installation: Installation): void {
    if (installation.user?.id) this.installers.set(teamId, installation.user.id);
  }
}

function keyOf(query: InstallationQuery<boolean>): string {
  return query.isEnterpriseInstall && query.enterpriseId ? enterpriseKey(query.enterpriseId) : teamKey(query.teamId);
}

function teamKey(teamId: string | undefined): string {
  if (!teamId) throw new Error('an installation without a workspace or an org');
  return `team:${teamId}`;
}

function enterpriseKey(enterpriseId: string): string {
  return `enterprise:${enterpriseId}`;
}

function memberKey(teamId: string): string {
  return `member:${teamId}`;
}
