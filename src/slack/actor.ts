import type { Actor } from '../cases/model';

/** The Slack user behind a request, as the domain knows them. */
export function actorOf(user: { id: string; name?: string; username?: string }, teamId: string): Actor {
  const name = user.username ?? user.name;
  return name ? { userId: user.id, teamId, name } : { userId: user.id, teamId };
}

/**
 * The user of an interaction (button, modal, shortcut), acting in the workspace where it happened. In Enterprise
 * Grid that can differ from the user's home workspace (`user.team_id`): cases belong to the workspace they live
 * in, as a slash command's `team_id` says, so the interaction's `team` decides. It is absent only on org-level
 * surfaces, where the user's own workspace is all there is.
 */
export function actorOfInteraction(body: { user: { id: string; name?: string; username?: string; team_id?: string }; team?: { id: string } | null }): Actor {
  return actorOf(body.user, body.team?.id ?? body.user.team_id ?? '');
}
