/**
 * Slack's side of installing the app with OAuth v2: the authorize page (a test plays the user pressing Allow or
 * Cancel), the codes it hands back through the app's redirect URL, and oauth.v2.access, which exchanges a code
 * for a bot token, or with token rotation on a refresh token for a new expiring token pair.
 *
 * Facts from docs.slack.dev (reference/methods/oauth.v2.access, authentication/using-token-rotation): clients
 * authenticate with `client_id`/`client_secret` fields or HTTP Basic; `redirect_uri` "must match the
 * originally submitted URI (if one was sent)"; rotating access tokens last 12 hours, and a refresh token is
 * revoked once used, its successor coming with the new access token.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from './clock';
import type { TokenRegistry } from './tokens';
import { type Obj, PlatformError, str } from './web-api';

/** How long a code may wait for its exchange (Slack: ten minutes). */
const CODE_TTL_MS = 10 * 60_000;
/** Slack's lifetime of a rotating access token: 12 hours. */
const ROTATING_TOKEN_LIFETIME_S = 12 * 60 * 60;

export interface OAuthAppRegistration {
  clientId: string;
  clientSecret: string;
  /** Token rotation on: installs answer an expiring `xoxe.xoxb-` token plus a `xoxe-` refresh token. */
  tokenRotation?: boolean;
  /** Lifetime of rotating access tokens, in seconds; Slack's is 43200 (12 hours). */
  tokenLifetimeSeconds?: number;
  /** The app's configured Redirect URLs: an authorize URL's redirect_uri must be one; without one, the first is used. */
  redirectUrls?: string[];
}

/**
 * Who presses Allow on the authorize page: a member of the workspace the app is installed into or, with
 * `orgWide`, an admin of that workspace's Enterprise Grid org choosing to install it on the whole org.
 */
export interface Installer {
  teamId: string;
  userId: string;
  orgWide?: boolean;
}

/** What oauth.ts needs to know of a workspace it installs the app into. */
export interface InstallTarget {
  teamId: string;
  teamName: string;
  botUserId: string;
  appId: string;
  enterpriseId?: string;
  enterpriseName?: string;
  getUser(id: string): unknown;
}

interface AuthorizeRequest {
  app: OAuthAppRegistration;
  scope: string;
  state: string;
  /** The redirect_uri the authorize URL named, which the exchange must repeat. */
  redirectUri?: string;
  /** Where the browser goes back to: redirect_uri, else the app's first Redirect URL. */
  returnTo: string;
}

interface IssuedCode {
  clientId: string;
  installer: Installer;
  scope: string;
  redirectUri?: string;
  issuedAt: number;
  used: boolean;
}

interface IssuedRefreshToken {
  clientId: string;
  teamId: string;
  orgWide: boolean;
  scope: string;
  revoked: boolean;
}

export class OAuthServer {
  private readonly apps = new Map<string, OAuthAppRegistration>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, IssuedRefreshToken>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly tokens: TokenRegistry,
    private readonly workspaceOf: (teamId: string) => InstallTarget | undefined,
  ) {}

  registerApp(app: OAuthAppRegistration): void {
    this.apps.set(app.clientId, app);
  }

  /** The user presses Allow: the redirect back to the app, `?code=…&state=…`. */
  approve(authorizeUrl: string, installer: Installer): string {
    const request = this.readAuthorizeUrl(authorizeUrl);
    const workspace = this.workspaceOf(installer.teamId);
    if (!workspace) throw new Error(`SlackEmulator: no workspace ${installer.teamId}; add it with addWorkspace() first`);
    if (!workspace.getUser(installer.userId)) throw new Error(`SlackEmulator: no user ${installer.userId} in ${installer.teamId}`);
    if (installer.orgWide && !workspace.enterpriseId) throw new Error(`SlackEmulator: ${installer.teamId} is on no Enterprise Grid org to install on`);
    const code = `${this.clock.nextSerial()}.${this.clock.nextSerial()}.${randomBytes(32).toString('hex')}`;
    this.codes.set(code, {
      clientId: request.app.clientId,
      installer,
      scope: request.scope,
      redirectUri: request.redirectUri,
      issuedAt: this.clock.now(),
      used: false,
    });
    return withQuery(request.returnTo, { code, state: request.state });
  }

  /** The user presses Cancel: the redirect back to the app, `?error=access_denied&state=…`. */
  deny(authorizeUrl: string): string {
    const request = this.readAuthorizeUrl(authorizeUrl);
    return withQuery(request.returnTo, { error: 'access_denied', state: request.state });
  }

  /** oauth.v2.access; `authorization` is the request's Authorization header (HTTP Basic client credentials). */
  access(args: Obj, authorization: string | undefined): Obj {
    const app = this.authenticateClient(args, authorization);
    const grantType = str(args, 'grant_type') ?? 'authorization_code';
    if (grantType === 'authorization_code') return this.exchangeCode(app, args);
    if (grantType === 'refresh_token') return this.refresh(app, args);
    throw new PlatformError('invalid_grant_type');
  }

  /** Uninstalling ends the refresh tokens of the workspace (a `T…` id) or the org (an `E…` id) too. */
  revoke(teamOrEnterpriseId: string): void {
    for (const issued of this.refreshTokens.values()) {
      const scope = issued.orgWide ? this.workspaceOf(issued.teamId)?.enterpriseId : issued.teamId;
      if (scope === teamOrEnterpriseId) issued.revoked = true;
    }
  }

  /** Checks an authorize URL the way Slack's authorize page does before showing Allow; throws what it would show. */
  private readAuthorizeUrl(authorizeUrl: string): AuthorizeRequest {
    const url = new URL(authorizeUrl);
    const refuse = (problem: string) => new Error(`Slack's authorize page refuses ${authorizeUrl}: ${problem}`);
    if (url.pathname !== '/oauth/v2/authorize') throw refuse('not the OAuth v2 authorize path (/oauth/v2/authorize)');
    const app = this.apps.get(url.searchParams.get('client_id') ?? '');
    if (!app) throw refuse('unknown client_id (register it with registerOAuthApp)');
    const scope = url.searchParams.get('scope') ?? '';
    if (scope === '') throw refuse('no bot scopes in scope');
    const state = url.searchParams.get('state') ?? '';
    if (state === '') throw refuse('no state');
    const redirectUri = url.searchParams.get('redirect_uri') ?? undefined;
    const configured = app.redirectUrls ?? [];
    if (redirectUri !== undefined && configured.length > 0 && !configured.includes(redirectUri)) {
      throw refuse(`redirect_uri ${redirectUri} is not one of the app's Redirect URLs`);
    }
    const returnTo = redirectUri ?? configured[0];
    if (returnTo === undefined) throw refuse('no redirect_uri, and the app has no Redirect URL');
    return { app, scope, state, redirectUri, returnTo };
  }

  private authenticateClient(args: Obj, authorization: string | undefined): OAuthAppRegistration {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const [clientId, clientSecret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s)
      : [str(args, 'client_id'), str(args, 'client_secret')];
    const app = this.apps.get(clientId ?? '');
    if (!app) throw new PlatformError('invalid_client_id');
    if (clientSecret !== app.clientSecret) throw new PlatformError('bad_client_secret');
    return app;
  }

  /** A code works once, for the app it was issued to, within ten minutes. */
  private exchangeCode(app: OAuthAppRegistration, args: Obj): Obj {
    const issued = this.codes.get(str(args, 'code') ?? '');
    const fresh = issued && !issued.used && issued.clientId === app.clientId && this.clock.now() - issued.issuedAt <= CODE_TTL_MS;
    if (!issued || !fresh) throw new PlatformError('invalid_code');
    if (issued.redirectUri !== undefined && str(args, 'redirect_uri') !== issued.redirectUri) throw new PlatformError('bad_redirect_uri');
    issued.used = true;
    const workspace = this.requireWorkspace(issued.installer.teamId);
    // The emulator installs bot tokens only: user_scope is not granted, so authed_user names the installer alone.
    return { ...this.issueBotToken(app, workspace, issued.scope, issued.installer.orgWide ?? false), authed_user: { id: issued.installer.userId } };
  }

  /** The refresh token is revoked once used; the answer carries its successor. */
  private refresh(app: OAuthAppRegistration, args: Obj): Obj {
    const issued = this.refreshTokens.get(str(args, 'refresh_token') ?? '');
    if (!issued || issued.revoked || issued.clientId !== app.clientId) throw new PlatformError('invalid_refresh_token');
    issued.revoked = true;
    return this.issueBotToken(app, this.requireWorkspace(issued.teamId), issued.scope, issued.orgWide);
  }

  private requireWorkspace(teamId: string): InstallTarget {
    const workspace = this.workspaceOf(teamId);
    if (!workspace) throw new Error(`SlackEmulator: workspace ${teamId} disappeared`);
    return workspace;
  }

  /**
   * Mints a bot token of the workspace, or with `orgWide` of its whole org (and with rotation its refresh token),
   * and answers Slack's bot install shape: an org-wide install names the org and no team.
   */
  private issueBotToken(app: OAuthAppRegistration, workspace: InstallTarget, scope: string, orgWide: boolean): Obj {
    const enterprise = workspace.enterpriseId ? { id: workspace.enterpriseId, name: workspace.enterpriseName ?? workspace.enterpriseId } : null;
    const answer: Obj = {
      ok: true,
      app_id: workspace.appId,
      scope,
      token_type: 'bot',
      bot_user_id: workspace.botUserId,
      team: orgWide ? null : { id: workspace.teamId, name: workspace.teamName },
      enterprise,
      is_enterprise_install: orgWide,
    };
    const grantsTo = orgWide ? { enterpriseId: workspace.enterpriseId } : { teamId: workspace.teamId };
    if (!app.tokenRotation) {
      answer.access_token = `xoxb-${digits(11)}-${digits(12)}-${secret()}`;
      this.tokens.grant(answer.access_token as string, { ...grantsTo, kind: 'bot' });
      return answer;
    }
    const lifetime = app.tokenLifetimeSeconds ?? ROTATING_TOKEN_LIFETIME_S;
    answer.access_token = `xoxe.xoxb-1-${secret()}`;
    answer.refresh_token = `xoxe-1-${secret()}`;
    answer.expires_in = lifetime;
    const expiresAt = this.clock.now() + lifetime * 1000;
    this.tokens.grant(answer.access_token as string, { ...grantsTo, kind: 'bot', expiresAt });
    this.refreshTokens.set(answer.refresh_token as string, { clientId: app.clientId, teamId: workspace.teamId, orgWide, scope, revoked: false });
    return answer;
  }
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function digits(count: number): string {
  return Array.from(randomBytes(count), (byte) => byte % 10).join('');
}

function secret(): string {
  return randomBytes(18).toString('base64url');
}
