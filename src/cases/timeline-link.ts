/**
 * Kibana Timeline links (reference/kibana-cases.md §3): `…/app/security/timelines?timeline=(id:'<id>',isOpen:!t)`,
 * the quotes sometimes URL-encoded, and a bare saved-object id turned into such a URL with KIBANA_URL.
 */

export type TimelineTarget = { ok: true; timelineId: string; url: string } | { ok: false; error: string };

const ID_IN_URL = /timeline=\(id:(?:'|%27)([^'%),]+)(?:'|%27)/;
const BARE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/;

export function timelineUrl(kibanaUrl: string, timelineId: string, space?: string): string {
  const base = kibanaUrl.replace(/\/+$/, '');
  const spacePath = space && space !== 'default' ? `/s/${encodeURIComponent(space)}` : '';
  return `${base}${spacePath}/app/security/timelines?timeline=(id:'${timelineId}',isOpen:!t)`;
}

export function parseTimelineTarget(target: string, kibana: { url?: string; space?: string }): TimelineTarget {
  if (/^https?:\/\//i.test(target)) {
    const id = ID_IN_URL.exec(target)?.[1];
    if (!id) return { ok: false, error: "that URL is not a Kibana Timeline link (it has no `timeline=(id:'…')`)" };
    return { ok: true, timelineId: decodeURIComponent(id), url: target };
  }
  if (!BARE_ID.test(target)) return { ok: false, error: 'give a Kibana Timeline URL or a Timeline id' };
  if (!kibana.url) return { ok: false, error: 'a bare Timeline id needs KIBANA_URL to be set; paste the Timeline URL instead' };
  return { ok: true, timelineId: target, url: timelineUrl(kibana.url, target, kibana.space) };
}
