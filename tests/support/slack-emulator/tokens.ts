/**
 * Every access token the emulator knows, and what each grants: the workspace it acts in (a Web API call is
 * routed by its token) or, for an org-wide install, the Enterprise Grid org, whether it is a bot token or the
 * app-level token, and whether it still works.
 */
import type { EmulatorClock } from './clock';
import { PlatformError } from './web-api';

export interface TokenGrant {
  /** The workspace of a workspace install's token; none for an org-wide install's. */
  teamId?: string;
  /** The org of an org-wide install's token, which acts in every workspace of the org. */
  enterpriseId?: string;
  kind: 'bot' | 'app';
  /** Epoch ms on the emulator's clock; only tokens minted with token rotation on expire. */
  expiresAt?: number;
  revoked?: boolean;
}

export class TokenRegistry {
  private readonly grants = new Map<string, TokenGrant>();

  constructor(private readonly clock: EmulatorClock) {}

  grant(token: string, grant: TokenGrant): void {
    this.grants.set(token, grant);
  }

  /** Whether some working token's grant matches. */
  hasWorkingGrant(matches: (grant: TokenGrant) => boolean): boolean {
    return [...this.grants.values()].some((grant) => !grant.revoked && matches(grant));
  }

  /** What a token was granted, working or not. */
  grantOf(token: string | undefined): TokenGrant | undefined {
    return token === undefined ? undefined : this.grants.get(token);
  }

  /**
   * The grant of a token that works, or Slack's error for one that does not: `invalid_auth` for a token
   * Slack never issued, `token_revoked` once the app was removed from its workspace ("Authentication token is
   * for a deleted user or workspace or the app has been removed."), `token_expired` past a rotating token's
   * lifetime.
   */
  authenticate(token: string): TokenGrant {
    const grant = this.grants.get(token);
    if (!grant) throw new PlatformError('invalid_auth');
    if (grant.revoked) throw new PlatformError('token_revoked');
    if (grant.expiresAt !== undefined && this.clock.now() >= grant.expiresAt) throw new PlatformError('token_expired');
    return grant;
  }

  /** Whether `token` is a working bot token of the workspace, or of its org: the check of Slack's file hosts. */
  isBotTokenOf(token: string | undefined, workspace: { teamId: string; enterpriseId?: string }): boolean {
    try {
      const grant = token === undefined ? undefined : this.authenticate(token);
      const ofOrg = grant?.enterpriseId !== undefined && grant.enterpriseId === workspace.enterpriseId;
      return grant?.kind === 'bot' && (grant.teamId === workspace.teamId || ofOrg);
    } catch (error) {
      if (error instanceof PlatformError) return false;
      throw error;
    }
  }

  /** Uninstalling the app from a workspace (a `T…` id) or an org (an `E…` id) revokes every token it had there. */
  revoke(teamOrEnterpriseId: string): void {
    for (const grant of this.grants.values()) if (grant.teamId === teamOrEnterpriseId || grant.enterpriseId === teamOrEnterpriseId) grant.revoked = true;
  }
}
