import type { KnownBlock } from '@slack/types';
import type { Digest } from '../../cases/digest';
import { lastTouched } from '../../cases/nudges';
import { SEVERITIES } from '../../cases/model';
import type { SlackMessage } from './case-card';
import { caseLine } from './case-format';
import { formatSeconds } from './metrics';

/**
 * A channel's digest as a few lines a phone shows whole: the period's openings and closings, what is still open by
 * severity, SLA breaches, and the cases untouched longest (each list capped; the counts are complete).
 */
export function digestMessage(digest: Digest, period: string, now: Date): SlackMessage {
  const open = [...SEVERITIES].reverse().filter((severity) => digest.stillOpen[severity] > 0).map((severity) => `${digest.stillOpen[severity]} ${severity}`);
  const lines = [
    `*Case digest* · ${period}`,
    `Opened ${digest.opened} · Closed ${digest.closed}`,
    open.length ? `Still open: ${open.join(', ')}` : 'Nothing is open.',
  ];
  if (digest.breachedCount > 0) lines.push(`:rotating_light: SLA breached (${digest.breachedCount}): ${digest.breached.map((theCase) => caseLine(theCase, 60)).join(' · ')}`);
  if (digest.untouched.length > 0) {
    const untouched = digest.untouched.map((theCase) => `${caseLine(theCase, 60)} (${formatSeconds((now.getTime() - lastTouched(theCase)) / 1000)})`);
    lines.push(`:zzz: Untouched longest: ${untouched.join(' · ')}`);
  }
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
  return { text: `Case digest: ${digest.opened} opened, ${digest.closed} closed`, blocks };
}
