/** users.info and users.lookupByEmail: the user object Slack returns, with its profile. */
import type { EmulatedUser } from './types';
import { type Handlers, type Obj, PlatformError, str } from './web-api';
import type { Workspace } from './workspace';

export function usersMethods(workspace: Workspace): Handlers {
  return {
    'users.info': (args) => usersInfo(workspace, args),
    'users.lookupByEmail': (args) => lookupByEmail(workspace, args),
  };
}

function usersInfo(workspace: Workspace, args: Obj): Obj {
  const user = workspace.users.get(str(args, 'user') ?? '');
  if (!user) throw new PlatformError('user_not_found');
  return userAnswer(workspace, user);
}

/** Slack matches the address without regard to case; an address no member has is `users_not_found`. */
function lookupByEmail(workspace: Workspace, args: Obj): Obj {
  const email = (str(args, 'email') ?? '').toLowerCase();
  const user = [...workspace.users.values()].find((candidate) => candidate.email?.toLowerCase() === email);
  if (!user) throw new PlatformError('users_not_found');
  return userAnswer(workspace, user);
}

function userAnswer(workspace: Workspace, user: EmulatedUser): Obj {
  const [firstName, ...rest] = user.realName.split(' ');
  return {
    ok: true,
    user: {
      id: user.id,
      team_id: workspace.teamId,
      name: user.name,
      deleted: false,
      color: '9f69e7',
      real_name: user.realName,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      profile: {
        real_name: user.realName,
        real_name_normalized: user.realName,
        display_name: user.name,
        display_name_normalized: user.name,
        first_name: firstName,
        last_name: rest.join(' '),
        title: '',
        phone: '',
        status_text: '',
        status_emoji: '',
        ...(user.email ? { email: user.email } : {}),
        team: workspace.teamId,
        ...(user.isBot && { bot_id: workspace.botId, api_app_id: workspace.appId, always_active: true }),
      },
      is_admin: user.isAdmin,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot,
      is_app_user: false,
      updated: Math.floor(workspace.clock.now() / 1000),
    },
  };
}
