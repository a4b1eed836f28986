import type { WebClient } from '@slack/web-api';
import type { Effect } from '../../cases/outbox';
import type { SlackMessage } from '../blocks/case-card';
import { effectMetadata } from './posted-lookup';

/** Posts a message to a slash command's response_url. */
export type ResponseUrlPoster = (url: string, message: SlackMessage & { response_type: 'in_channel' | 'ephemeral' }) => Promise<void>;

/** Tells the person who caused the effect by direct message. A DM cannot be looked up by metadata (no im:history), so it is sent once per attempt. */
export async function directMessage(client: WebClient, effect: Effect, message: SlackMessage): Promise<void> {
  await client.chat.postMessage({ channel: effect.payload.actor.userId, ...message, metadata: effectMetadata(effect) });
}

/** Tells the person who caused the effect where they asked (the command's response_url), else by direct message. */
export async function tellActor(client: WebClient, postToResponseUrl: ResponseUrlPoster, effect: Effect, message: SlackMessage): Promise<void> {
  const { responseUrl } = effect.payload;
  if (responseUrl && (await postToResponseUrl(responseUrl, { response_type: 'ephemeral', ...message }).then(() => true, () => false))) return;
  await directMessage(client, effect, message);
}
