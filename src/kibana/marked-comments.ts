import type { z } from 'zod';
import { EventData, TimelineData, UnknownData, VisualizationData } from '../cases/attachments';
import { renderEventQuote } from './markdown/event-quote';
import { renderTimelineLink } from './markdown/timeline-link';
import { renderVisualization } from './markdown/visualization';
import { appendMarker, readMarker } from './markers';
import { COMMENT_TYPE } from './saved-objects';

/**
 * caseops attachments that Kibana holds as `user` markdown comments: the rendering Kibana users read, then
 * the marker with the exact domain data (markers.ts). Reading one back restores the caseops attachment only
 * when the data is valid AND rendering it again reproduces the comment byte for byte; a comment edited in
 * Kibana fails that test and stays the plain comment it now is, so either way nothing is lost.
 */
const RENDERINGS = {
  event: { schema: EventData, render: renderEventQuote },
  timeline: { schema: TimelineData, render: renderTimelineLink },
  visualization: { schema: VisualizationData, render: renderVisualization },
  // Only ever an attachment: a marker cannot smuggle in a case or any other kind of saved object.
  unknown: { schema: UnknownData.refine((unknown) => unknown.savedObject.type === COMMENT_TYPE), render: describeUnsupportedAttachment },
} as const;

export type MarkedCommentKind = keyof typeof RENDERINGS;
type DataOf<K extends MarkedCommentKind> = z.infer<(typeof RENDERINGS)[K]['schema']>;

export type MarkedComment = { [K in MarkedCommentKind]: { kind: K; data: DataOf<K>; of?: string } }[MarkedCommentKind];

export function writeMarkedComment(comment: MarkedComment): string {
  const rendered = render(comment);
  return appendMarker(rendered, { kind: comment.kind, data: comment.data, ...(comment.of ? { of: comment.of } : {}) });
}

export function readMarkedComment(markdown: string): MarkedComment | undefined {
  const found = readMarker(markdown);
  if (!found || found.marker.kind === 'case') return undefined;
  const kind = found.marker.kind;
  const parsed = RENDERINGS[kind].schema.safeParse(found.marker.data);
  if (!parsed.success) return undefined;
  const comment = { kind, data: parsed.data, ...(found.marker.of ? { of: found.marker.of } : {}) } as MarkedComment;
  return writeMarkedComment(comment) === markdown ? comment : undefined;
}

function render(comment: MarkedComment): string {
  switch (comment.kind) {
    case 'event':
      return RENDERINGS.event.render(comment.data);
    case 'timeline':
      return RENDERINGS.timeline.render(comment.data);
    case 'visualization':
      return RENDERINGS.visualization.render(comment.data);
    case 'unknown':
      return RENDERINGS.unknown.render(comment.data);
  }
}

/** For a Kibana attachment whose type the target Kibana lacks (an `event` going to 8.x, say). */
function describeUnsupportedAttachment(unknown: UnknownData): string {
  const attributes = (unknown.savedObject.attributes ?? {}) as Record<string, unknown>;
  const type = typeof attributes.type === 'string' ? attributes.type : 'unknown';
  const lines = [`**A Kibana \`${type}\` attachment** that this Kibana version cannot show; caseops keeps it and restores it on import.`];
  if (attributes.eventId !== undefined) lines.push(`Event ${JSON.stringify(attributes.eventId)} in ${JSON.stringify(attributes.index)}`);
  return lines.join('\n\n');
}
