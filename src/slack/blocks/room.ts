import type { RoomRequest } from '../../cases/war-room';
import { caseLabel } from './case-format';
import { info } from './notice';
import type { SlackMessage } from './case-card';
import { mentionChannel } from './text';

/** The answer to asking for a case's war room: on its way, or where it already is. */
export function roomRequestReply({ case: theCase, requested }: RoomRequest): SlackMessage {
  const label = caseLabel(theCase);
  if (requested) return info(`Opening the war room of case ${label}: you are invited, and the card links to it as soon as Slack has made it.`);
  const channelId = theCase.room?.channelId;
  return info(channelId ? `Case ${label} already has its war room: ${mentionChannel(channelId)}.` : `The war room of case ${label} is being opened.`);
}
