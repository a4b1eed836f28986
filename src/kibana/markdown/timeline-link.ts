import type { TimelineData } from '../../cases/attachments';
import { escapeLinkText } from './text';

/**
 * A Timeline as Kibana's own markdown Timeline link (reference §3):
 * `[<title>](<origin><basePath>/app/security/timelines?timeline=(id:'<id>',isOpen:!t))`. Security Solution's
 * markdown parser turns any link whose URL contains `timelines?timeline=(id` into a Timeline button, so a
 * stored URL already in that form is used as it is; otherwise the link is built from the id, keeping the
 * URL's origin and space path when it has them.
 */
const KIBANA_TIMELINE_URL = /timelines\?timeline=\(id/;

export function renderTimelineLink(timeline: TimelineData): string {
  return `[${escapeLinkText(timeline.title || 'Timeline')}](${timelineUrl(timeline)})`;
}

function timelineUrl(timeline: TimelineData): string {
  if (KIBANA_TIMELINE_URL.test(timeline.url)) return timeline.url;
  return `${kibanaBase(timeline.url)}/app/security/timelines?timeline=(id:'${risonText(timeline.timelineId)}',isOpen:!t)`;
}

/** `https://kibana.example/s/soc` from any Kibana URL under it; empty (a relative link) when there is none. */
function kibanaBase(url: string): string {
  try {
    const parsed = new URL(url);
    const appAt = parsed.pathname.indexOf('/app/');
    return `${parsed.origin}${appAt >= 0 ? parsed.pathname.slice(0, appAt) : ''}`;
  } catch {
    return '';
  }
}

/** Rison quoting (`!` and `'` escaped with `!`), then anything that would break a markdown link percent-encoded. */
function risonText(text: string): string {
  return text.replace(/[!']/g, (character) => `!${character}`).replace(/[^A-Za-z0-9\-_.~!']/g, (character) => encodeURIComponent(character));
}
