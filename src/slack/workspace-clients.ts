import type { WebClient } from '@slack/web-api';

/** The Web API client that acts in a workspace, and the bot's user there. */
export interface WorkspaceClient {
  client: WebClient;
  botUserId: string;
}

/**
 * The client for a workspace's effects: one fixed client with SLACK_BOT_TOKEN, or, in OAuth distribution, the
 * client of that workspace's installation (its token refreshed when it is about to expire).
 */
export type WorkspaceClients = (teamId: string) => Promise<WorkspaceClient>;

/** The workspace's installation is gone (uninstalled, tokens revoked): its effects are given up on, not retried. */
export class WorkspaceNotInstalledError extends Error {}
