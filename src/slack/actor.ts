import type { Actor } from '../cases/model';

/** The Slack user behind a request, as the domain knows them. */
export function actorOf(user: { id: string; name?: string; username?: string }, teamId: string): Actor {
  const name = user.username ?? user.name;
  return name ? { userId: user.id, teamId, name } : { userId: user.id, teamId };
}
