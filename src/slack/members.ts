import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './slack-errors';

/**
 * The workspace member whose Slack profile has this email address (users.lookupByEmail, scope `users:read.email`);
 * undefined when no member has it, or the one who has it is deactivated or a bot. Other failures are thrown.
 */
export async function memberWithEmail(client: WebClient, email: string): Promise<string | undefined> {
  try {
    const { user } = await client.users.lookupByEmail({ email });
    return user?.id && !user.deleted && !user.is_bot ? user.id : undefined;
  } catch (error) {
    if (slackErrorCode(error) === 'users_not_found') return undefined;
    throw error;
  }
}

/** The name Slack shows for a member: the display name, else the real name, else the username. */
export function displayNameOf(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | undefined {
  return user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || undefined;
}
