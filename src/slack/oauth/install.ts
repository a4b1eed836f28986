import fs from 'node:fs';
import path from 'node:path';
import type { App, HTTPReceiver, HTTPReceiverOptions } from '@slack/bolt';
import type { SlackOAuthSettings } from '../../config';
import type { Logger } from '../../log';
import type { AuthorizeWorkspace } from '../effects/effect-clients';
import { NotInstalledError, type SealedInstallationStore } from './sealed-installation-store';

/** "Add to Slack" links here; Slack sends the installer back to the redirect path (the app's Redirect URL). */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** From src/ and from dist/ alike (both sit one level below the repository root). */
const MANIFEST = path.resolve(__dirname, '..', '..', '..', 'manifests', 'slack-app.json');

/** The bot scopes an install asks for: the manifest's, so a workspace grants what the app is declared to need. */
export function manifestBotScopes(manifestFile = MANIFEST): string[] {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { oauth_config?: { scopes?: { bot?: string[] } } };
  const scopes = manifest.oauth_config?.scopes?.bot;
  if (!scopes?.length) throw new Error(`${manifestFile} lists no bot scopes`);
  return scopes;
}

/**
 * The HTTP receiver's OAuth options: Bolt's own install flow (InstallProvider), with the state signed by
 * SLACK_STATE_SECRET and checked against the installer's browser cookie, and installations kept sealed in the
 * case store. `/slack/install` goes straight to Slack's consent page.
 */
export function oauthReceiverOptions(oauth: SlackOAuthSettings, apiUrl: string, installationStore: SealedInstallationStore): Partial<HTTPReceiverOptions> {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: manifestBotScopes(),
    installationStore,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      directInstall: true,
      stateVerification: true,
      // Slack's consent page and its Web API share a host (slack.com, or GovSlack's): the page is found from
      // SLACK_API_URL, and the code exchange and token refreshes (oauth.v2.access) go where every other call goes.
      authorizationUrl: new URL('../oauth/v2/authorize', apiUrl).toString(),
      clientOptions: { slackApiUrl: apiUrl },
    },
  };
}

/**
 * A workspace's bot token and user from its installation or its org's (refreshed when it is about to expire);
 * none when caseops is not installed there.
 */
export function workspaceAuthorizer(installer: NonNullable<HTTPReceiver['installer']>, installations: SealedInstallationStore): AuthorizeWorkspace {
  return async (teamId) => {
    const query = await installations.queryFor(teamId);
    if (!query) return undefined;
    try {
      return await installer.authorize(query);
    } catch (error) {
      if ((error as { original?: unknown }).original instanceof NotInstalledError) return undefined;
      throw error;
    }
  };
}

/**
 * Uninstalling caseops, or revoking its bot token, deletes the workspace's installation: its tokens are gone, and
 * its pending effects are given up on as they come due (WorkspaceNotInstalledError) instead of failing against a
 * dead token. With one workspace (SLACK_BOT_TOKEN) there is nothing stored to delete; the operator is told.
 */
export function registerInstallationEvents(app: App, installations: SealedInstallationStore | undefined, logger: Logger): void {
  const forget = async (context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }, why: string) => {
    if (!installations) {
      logger.error({ teamId: context.teamId }, `${why}: SLACK_BOT_TOKEN no longer works; reinstall the app and set its new token`);
      return;
    }
    await installations.deleteInstallation({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall ?? false });
    logger.info({ teamId: context.teamId, enterpriseId: context.enterpriseId }, `${why}: its installation is deleted`);
  };
  app.event('app_uninstalled', async ({ context }) => forget(context, 'caseops was uninstalled from a workspace'));
  app.event('tokens_revoked', async ({ event, context }) => {
    if (event.tokens.bot?.length) await forget(context, "caseops' bot token was revoked in a workspace");
  });
}
