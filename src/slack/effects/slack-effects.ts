import { webApi } from '@slack/bolt';
import type { EvidenceService } from '../../cases/evidence-service';
import type { Case } from '../../cases/model';
import type { Effect } from '../../cases/outbox';
import type { CaseService } from '../../cases/service';
import type { ChartRenderer } from '../../charts/renderer';
import type { CaseTransfer } from '../../kibana/case-transfer';
import type { KibanaTarget } from '../../kibana/export/versions';
import type { SlaPolicy } from '../../cases/sla';
import type { CaseStore } from '../../cases/store';
import type { WarRooms } from '../../cases/war-room';
import { type Logger, toSlackLogger } from '../../log';
import type { EffectHandlers } from '../../outbox/dispatcher';
import type { CardOptions, SlackMessage } from '../blocks/case-card';
import type { RecentCharts } from '../charts/recent-charts';
import { digestHandler } from '../digest';
import { exportDelivery } from '../kibana/export';
import { tellActor } from './actor-notices';
import { cardEffectHandlers } from './card-effects';
import { uploadChart } from './chart-effects';
import { indexEvent } from './event-index-effects';
import { nudgeHandler } from './nudge-effects';
import { closeRoom, openRoom } from './room-effects';
import { deliverReport } from './report-effects';
import { slaNoticeHandler } from './sla-effects';

/** Slack's limit for one Web API call before the outbox counts it as failed and tries again later. */
const CALL_TIMEOUT_MS = 10_000;

export interface SlackEffectsOptions {
  botToken: string;
  apiUrl: string;
  store: CaseStore;
  service: CaseService;
  evidence: EvidenceService;
  renderer: ChartRenderer;
  recentCharts: RecentCharts;
  sla: SlaPolicy;
  /** Where Kibana is: cards link to the mirrors of cases there. */
  kibana?: CardOptions['kibana'];
  transfer: CaseTransfer;
  rooms: WarRooms;
  /** The bot's own user id (auth.test). */
  botUserId: string;
  /** Whether someone may see a case: a private case's war room takes only those who may. */
  canSee: (userId: string, theCase: Case) => Promise<boolean>;
  /** The Kibana version exports are written for. */
  exportVersion: KibanaTarget;
  /** The deployment's time zone: digests name their period in it. */
  timeZone: string;
  logger: Logger;
}

/**
 * Every effect kind's delivery to Slack, through a Web API client of its own that neither retries nor waits on
 * rate limits: a retry inside the SDK after a lost answer would post twice, and a wait would hold the stream's
 * lease. The dispatcher retries instead, durably, after looking for what the lost attempt did.
 */
export function slackEffectHandlers(options: SlackEffectsOptions): Omit<EffectHandlers, 'kibana_push'> {
  const client = new webApi.WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    logger: toSlackLogger(options.logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: CALL_TIMEOUT_MS,
  });
  const tell = (effect: Effect, message: SlackMessage) => tellActor(client, postToResponseUrl, effect, message);
  return {
    ...cardEffectHandlers({ client, store: options.store, service: options.service, sla: options.sla, kibana: options.kibana, logger: options.logger, postToResponseUrl }),
    upload_chart: uploadChart({ client, store: options.store, sla: options.sla, kibana: options.kibana, evidence: options.evidence, renderer: options.renderer, recent: options.recentCharts, tell }),
    sla_notice: slaNoticeHandler({ client, store: options.store }),
    nudge: nudgeHandler({ client, store: options.store }),
    digest: digestHandler({ client, service: options.service, logger: options.logger, timeZone: options.timeZone }),
    index_event: indexEvent({ client, store: options.store, sla: options.sla, kibana: options.kibana, evidence: options.evidence, tell }),
    open_room: openRoom({ client, store: options.store, rooms: options.rooms, botUserId: options.botUserId, canSee: options.canSee, sla: options.sla, kibana: options.kibana, postToResponseUrl, logger: options.logger }),
    close_room: closeRoom({ client, store: options.store, logger: options.logger }),
    deliver_report: deliverReport({ client, store: options.store, postToResponseUrl, logger: options.logger }),
    deliver_export: exportDelivery({ client, service: options.service, transfer: options.transfer, exportClaims: options.store.requestClaims, exportVersion: options.exportVersion, logger: options.logger }),
  };
}

/** A slash command's response_url takes a message for the channel until it expires (30 minutes, 5 uses). */
async function postToResponseUrl(url: string, message: SlackMessage & { response_type: 'in_channel' | 'ephemeral' }): Promise<void> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  if (!answer.ok) throw new Error(`the response_url answered HTTP ${answer.status}`);
}
