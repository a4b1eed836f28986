/**
 * auth.test: who the token is, in the workspace it belongs to or, for an org-wide install's token called
 * without a workspace, in its Enterprise Grid org (then `team_id` is the org's id and `is_enterprise_install` true).
 */
import type { Handlers, Obj } from './web-api';
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
      ...(workspace.enterpriseId && { enterprise_id: workspace.enterpriseId }),
      is_enterprise_install: false,
    }),
  };
}

/** auth.test of an org-wide token, answered for the org of `member`, one of its workspaces. */
export function orgAuthTest(member: Workspace, enterpriseId: string, enterpriseName: string): Obj {
  return {
    ok: true,
    url: `https://${enterpriseId.toLowerCase()}.enterprise.slack.com/`,
    team: enterpriseName,
    user: member.users.get(member.botUserId)?.name,
    team_id: enterpriseId,
    user_id: member.botUserId,
    bot_id: member.botId,
    enterprise_id: enterpriseId,
    is_enterprise_install: true,
  };
}
