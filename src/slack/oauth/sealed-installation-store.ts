import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { InstallationRecords } from '../../cases/installations';
import type { InstallationSeal } from './installation-seal';

/** Asked for a workspace (or org) caseops is not installed in: never installed, or uninstalled since. */
export class NotInstalledError extends Error {
  constructor(key: string) {
    super(`caseops is not installed in ${key.replace(':', ' ')}`);
  }
}

/**
 * Bolt's installation store over the case store: each installation sealed (installation-seal.ts) under its key,
 * `team:<id>` or, for an Enterprise Grid org-wide install, `enterprise:<id>`. An installation sealed with an older
 * key is re-sealed with the current one when it is read, so a key rotation completes as workspaces are used.
 *
 * It also remembers, per workspace, who installed caseops there: the installer is one of that workspace's admins.
 * Bolt fetches the installation before every listener runs, so the installer of the workspace a request comes
 * from is known by then on every replica.
 */
export class SealedInstallationStore implements InstallationStore {
  private readonly installers = new Map<string, string>();

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
    const record = await this.records.find(key);
    if (!record) throw new NotInstalledError(key);
    const { plaintext, stale } = this.seal.open(record.sealed, key);
    const installation = JSON.parse(plaintext) as Installation;
    if (stale) await this.save(key, installation);
    this.noteInstaller(query.teamId ?? key, installation);
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.records.remove(keyOf(query));
    if (query.teamId) this.installers.delete(query.teamId);
  }

  /** The workspaces caseops is installed in, each with its bot user: who the scheduled jobs act for. */
  async workspaces(): Promise<{ teamId: string; botUserId: string }[]> {
    const workspaces: { teamId: string; botUserId: string }[] = [];
    for (const record of await this.records.list()) {
      if (!record.teamId) continue; // an org-wide install: its workspaces are known only from their requests
      const installation = JSON.parse(this.seal.open(record.sealed, record.key).plaintext) as Installation;
      if (installation.bot?.userId) workspaces.push({ teamId: record.teamId, botUserId: installation.bot.userId });
    }
    return workspaces;
  }

  /** Who installed caseops in the workspace, when a request from it was authorized in this process. */
  installerOf(teamId: string): string | undefined {
    return this.installers.get(teamId);
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
