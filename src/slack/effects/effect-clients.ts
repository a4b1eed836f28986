import { webApi } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type Logger, toSlackLogger } from '../../log';
import { type WorkspaceClients, WorkspaceNotInstalledError } from '../workspace-clients';

/** Slack's limit for one Web API call before the outbox counts it as failed and tries again later. */
export const EFFECT_CALL_TIMEOUT_MS = 10_000;

/**
 * A Web API client for outbox effects: it neither retries nor waits on rate limits. A retry inside the SDK after
 * a lost answer would post twice, and a wait would hold the stream's lease; the dispatcher retries instead,
 * durably, after looking for what the lost attempt did.
 */
export function effectClient(token: string, apiUrl: string, logger: Logger): WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    logger: toSlackLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: EFFECT_CALL_TIMEOUT_MS,
  });
}

/** One workspace (SLACK_BOT_TOKEN): every case's effects go through the same client. */
export function singleWorkspaceClients(client: WebClient, botUserId: string): WorkspaceClients {
  const workspace = { client, botUserId };
  return async () => workspace;
}

/** What Bolt's installer answers for a workspace: its bot token, refreshed if it was about to expire. */
export type AuthorizeWorkspace = (teamId: string) => Promise<{ botToken?: string; botUserId?: string } | undefined>;

/**
 * OAuth distribution: a workspace's calls go through a client on its installation's bot token, one client per
 * token (a refreshed token gets a new one). A workspace without an installation fails them for good.
 */
export function installedWorkspaceClients(authorize: AuthorizeWorkspace, clientOn: (token: string) => WebClient): WorkspaceClients {
  const clients = new Map<string, { token: string; client: WebClient }>();
  return async (teamId) => {
    const found = await authorize(teamId);
    if (!found?.botToken || !found.botUserId) throw new WorkspaceNotInstalledError(`caseops is not installed in workspace ${teamId} any more`);
    let known = clients.get(teamId);
    if (known?.token !== found.botToken) {
      known = { token: found.botToken, client: clientOn(found.botToken) };
      clients.set(teamId, known);
    }
    return { client: known.client, botUserId: found.botUserId };
  };
}
