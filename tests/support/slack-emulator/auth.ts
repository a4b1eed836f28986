/** auth.test and apps.connections.open: who the token is, and the Socket Mode URL for the app-level token. */
import type { SocketModeLink } from '../slack-socket-mode';
import type { Handlers } from './web-api';
import { TEAM_NAME, type Workspace } from './workspace';

export function authMethods(workspace: Workspace, socketMode: SocketModeLink): Handlers {
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${workspace.teamDomain}.slack.com/`,
      team: TEAM_NAME,
      user: workspace.users.get(workspace.botUserId)?.name,
      team_id: workspace.teamId,
      user_id: workspace.botUserId,
      bot_id: workspace.botId,
      is_enterprise_install: false,
    }),
    'apps.connections.open': () => ({ ok: true, url: socketMode.openUrl() }),
  };
}
