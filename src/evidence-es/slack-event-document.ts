/**
 * An attached Slack message as an Elastic Common Schema document, so Kibana's Discover, Timeline and event
 * attachments can see it next to the rest of the SOC's data. Pure: snapshot in, document out.
 *
 * ECS choices (field types and allowed values checked against @elastic/ecs 9.4.0 by
 * tests/evidence-es/ecs-documents.test.ts):
 * - `event.kind: event` — "something happened" (a person said something), the general ECS kind; not `alert`
 *   (no detection rule fired) and not `enrichment` (that marks threat-intel feed documents).
 * - `event.category: ['threat']` with `event.type: ['indicator']`, the only type ECS allows with `threat`, and
 *   only for a message that carries indicators: ECS uses that type for "events that contain details about
 *   indicators of compromise". ECS has no category for a chat message, so one without indicators has none
 *   (both fields are optional). Kibana's Threat Intelligence views select the same pair, but in the
 *   threat-intel indices (`logs-ti_*` by default), not in logs-caseops.slack-*.
 * - indicators: ECS `threat.indicator` is one object (the indicator a feed document describes), while a message
 *   can carry many, so each is one `threat.enrichments` entry with its `indicator` object (`threat.enrichments`
 *   is ECS's list of indicators associated with an event, mapped `nested` so an entry's type and value stay
 *   together). KQL reaches them as `threat.enrichments:{ indicator.ip: 203.0.113.5 }`; `related.*` holds the
 *   same values flat, for plain field queries, ES|QL and Lens.
 * - `related.*`: every IP (private ones too: an internal host is worth pivoting on), domain and hash seen, and
 *   the author, as ECS defines `related`.
 * - Slack specifics under the custom namespace `slack.*` (ECS reserves no `slack` field set); the cases the
 *   message is evidence in under `caseops.case_ids`, a second custom namespace since they are caseops', not
 *   Slack's.
 */
import type { MessageSnapshot } from '../cases/attachments';
import { extractIndicators, type Indicator } from '../cases/indicators';

import { ecsThreatIndicator, type EcsRelated, type EcsThreatIndicator, relatedValues } from './ecs-indicators';
import { EvidenceError } from './errors';

/** The ECS release the field names and types were checked against. */
const ECS_VERSION = '9.4.0';
export const SLACK_EVENTS_DATASET = 'caseops.slack';

export interface SlackEventDocument {
  '@timestamp': string;
  message: string;
  ecs: { version: string };
  data_stream: { type: 'logs'; dataset: string; namespace: string };
  event: {
    kind: 'event';
    /** Only when the message carries indicators. */
    category?: ['threat'];
    type?: ['indicator'];
    dataset: string;
    module: 'caseops';
    id: string;
    created: string;
  };
  user: { id: string; name?: string };
  url?: { full: string };
  related: EcsRelated & { user: string[] };
  threat?: { enrichments: { indicator: EcsThreatIndicator }[] };
  slack: {
    team: { id: string };
    channel: { id: string; name?: string; private: boolean };
    ts: string;
    thread_ts?: string;
    files: { id?: string; name: string; mimetype?: string; size?: number; permalink?: string }[];
    edited: boolean;
    deleted: boolean;
    original_text?: string;
  };
  caseops: { case_ids: string[] };
}

export interface SlackEventInput {
  readonly snapshot: MessageSnapshot;
  readonly namespace: string;
  readonly caseIds: readonly string[];
  /** When the document was first written (ISO); an update keeps the original. */
  readonly created: string;
  /** The message's indicators as the analyst confirmed them; by default, those found in its text. */
  readonly indicators?: readonly Indicator[];
}

/**
 * The document's id, from what identifies a Slack message, so indexing the same message again finds the same
 * document. Only letters, digits, `-` and `.`: Kibana writes `_id: <id>` into KQL unquoted.
 */
export function slackEventId(snapshot: Pick<MessageSnapshot, 'teamId' | 'channel' | 'ts'>): string {
  return `slack-${snapshot.teamId}-${snapshot.channel.id}-${snapshot.ts}`;
}

/** `1700000000.000100` → epoch milliseconds. Slack's ts is seconds with a microsecond sequence part. */
export function slackTsToMs(ts: string): number {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(ts);
  if (!match) throw new EvidenceError(`\`${ts.slice(0, 40)}\` is not a Slack message timestamp.`);
  return Number(match[1]) * 1000 + Math.floor(Number((match[2] ?? '0').padEnd(6, '0')) / 1000);
}

export function slackEventDocument(input: SlackEventInput): SlackEventDocument {
  const { snapshot } = input;
  const texts = snapshot.originalText === undefined ? [snapshot.text] : [snapshot.text, snapshot.originalText];
  const indicators = input.indicators ?? uniqueIndicators(texts.flatMap((text) => extractIndicators(text)));
  const seen = uniqueIndicators([...indicators, ...texts.flatMap((text) => extractIndicators(text, { includePrivateIps: true }))]);

  const { author, channel } = snapshot;
  const authorNames = author.name === undefined ? [author.id] : [author.id, author.name];
  const document: SlackEventDocument = {
    '@timestamp': new Date(slackTsToMs(snapshot.ts)).toISOString(),
    message: snapshot.text,
    ecs: { version: ECS_VERSION },
    data_stream: { type: 'logs', dataset: SLACK_EVENTS_DATASET, namespace: input.namespace },
    event: {
      kind: 'event',
      ...(indicators.length > 0 ? { category: ['threat'], type: ['indicator'] } : {}),
      dataset: SLACK_EVENTS_DATASET,
      module: 'caseops',
      id: slackEventId(snapshot),
      created: input.created,
    },
    user: author.name === undefined ? { id: author.id } : { id: author.id, name: author.name },
    related: { ...relatedValues(seen), user: [...new Set(authorNames)] },
    slack: {
      team: { id: snapshot.teamId },
      channel: channel.name === undefined ? { id: channel.id, private: channel.isPrivate } : { id: channel.id, name: channel.name, private: channel.isPrivate },
      ts: snapshot.ts,
      files: snapshot.files.map((file) => ({ ...file })),
      edited: snapshot.edited,
      deleted: snapshot.deleted ?? false,
    },
    caseops: { case_ids: [...new Set(input.caseIds)] },
  };
  if (snapshot.permalink !== undefined) document.url = { full: snapshot.permalink };
  if (indicators.length > 0) document.threat = { enrichments: indicators.map((indicator) => ({ indicator: ecsThreatIndicator(indicator) })) };
  if (snapshot.threadTs !== undefined) document.slack.thread_ts = snapshot.threadTs;
  if (snapshot.originalText !== undefined) document.slack.original_text = snapshot.originalText;
  return document;
}

function uniqueIndicators(indicators: readonly Indicator[]): Indicator[] {
  const byKey = new Map(indicators.map((indicator) => [`${indicator.type} ${indicator.value}`, { type: indicator.type, value: indicator.value }]));
  return [...byKey.values()];
}
