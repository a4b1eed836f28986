/** auth.test: who the token is, in the workspace it belongs to. */
import type { Handlers } from './web-api';
import type { Workspace } from './workspace';

export function authMethods(workspace: Workspace): Handlers {
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${workspace.teamDomain}.slack.com/`,
      team: workspace.teamName,
      user: workspace.users.get(workspace.botUserId)?.name,
      team_id: workspace.teamId,
      user_id: workspace.botUserId,
      bot_id: workspace.botId,
      is_enterprise_install: false,
    }),
  };
}
