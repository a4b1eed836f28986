import type { WebClient } from '@slack/web-api';
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
import type { Logger } from '../../log';
import type { EffectHandler, EffectHandlers } from '../../outbox/dispatcher';
import type { CardOptions, SlackMessage } from '../blocks/case-card';
import type { RecentCharts } from '../charts/recent-charts';
import { digestHandler } from '../digest';
import { exportDelivery } from '../kibana/export';
import { type WorkspaceClients, WorkspaceNotInstalledError } from '../workspace-clients';
import { tellActor } from './actor-notices';
import { EFFECT_CALL_TIMEOUT_MS } from './effect-clients';
import { cardEffectHandlers } from './card-effects';
import { uploadChart } from './chart-effects';
import { indexEvent } from './event-index-effects';
import { nudgeHandler } from './nudge-effects';
import { closeRoom, openRoom } from './room-effects';
import { deliverReport } from './report-effects';
import { slaNoticeHandler } from './sla-effects';

export interface SlackEffectsOptions {
  /** The client that acts in a case's workspace (one fixed client, or the workspace's installation in OAuth distribution). */
  clients: WorkspaceClients;
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
  /** Whether someone may see a case: a private case's war room takes only those who may. */
  canSee: (userId: string, theCase: Case) => Promise<boolean>;
  /** The Kibana version exports are written for. */
  exportVersion: KibanaTarget;
  /** The deployment's time zone: digests name their period in it. */
  timeZone: string;
  logger: Logger;
}

type SlackEffectHandlers = Omit<EffectHandlers, 'kibana_push'>;

/**
 * Every effect kind's delivery to Slack, in the workspace of the effect's case: each workspace's handlers are
 * built on its own client (see `WorkspaceClients`) and kept while its token stays the same.
 */
export function slackEffectHandlers(options: SlackEffectsOptions): SlackEffectHandlers {
  const built = new Map<string, { client: WebClient; handlers: SlackEffectHandlers }>();
  const handlersOf = async (teamId: string): Promise<SlackEffectHandlers> => {
    const { client, botUserId } = await options.clients(teamId);
    const known = built.get(teamId);
    if (known?.client === client) return known.handlers;
    const handlers = workspaceEffectHandlers(client, botUserId, options);
    built.set(teamId, { client, handlers });
    return handlers;
  };
  // Only what Slack's handlers define is forwarded: none of them has a patience or an afterSettle of its own.
  return Object.fromEntries(
    SLACK_EFFECT_KINDS.map((kind) => [
      kind,
      {
        read: async (effect, following) => (await handlersOf(effect.teamId))[kind].read?.(effect, following),
        deliver: async (effect, context) => (await handlersOf(effect.teamId))[kind].deliver(effect, context),
        giveUp: async (effect, reason) => (await handlersOf(effect.teamId).catch(unlessUninstalled))?.[kind].giveUp?.(effect, reason),
      } satisfies EffectHandler<unknown>,
    ]),
  ) as SlackEffectHandlers;
}

/** Nobody can be told about an effect given up on in a workspace caseops has left. */
function unlessUninstalled(error: unknown): undefined {
  if (error instanceof WorkspaceNotInstalledError) return undefined;
  throw error;
}

const SLACK_EFFECT_KINDS = Object.keys({
  post_card: true,
  edit_card: true,
  thread_line: true,
  upload_chart: true,
  sla_notice: true,
  nudge: true,
  digest: true,
  index_event: true,
  open_room: true,
  close_room: true,
  deliver_report: true,
  deliver_export: true,
} satisfies Record<keyof SlackEffectHandlers, true>) as (keyof SlackEffectHandlers)[];

/** One workspace's handlers, on its client. */
function workspaceEffectHandlers(client: WebClient, botUserId: string, options: SlackEffectsOptions): SlackEffectHandlers {
  const tell = (effect: Effect, message: SlackMessage) => tellActor(client, postToResponseUrl, effect, message);
  return {
    ...cardEffectHandlers({ client, store: options.store, service: options.service, sla: options.sla, kibana: options.kibana, logger: options.logger, postToResponseUrl }),
    upload_chart: uploadChart({ client, store: options.store, sla: options.sla, kibana: options.kibana, evidence: options.evidence, renderer: options.renderer, recent: options.recentCharts, tell }),
    sla_notice: slaNoticeHandler({ client, store: options.store }),
    nudge: nudgeHandler({ client, store: options.store }),
    digest: digestHandler({ client, service: options.service, logger: options.logger, timeZone: options.timeZone }),
    index_event: indexEvent({ client, store: options.store, sla: options.sla, kibana: options.kibana, evidence: options.evidence, tell }),
    open_room: openRoom({ client, store: options.store, rooms: options.rooms, botUserId, canSee: options.canSee, sla: options.sla, kibana: options.kibana, postToResponseUrl, logger: options.logger }),
    close_room: closeRoom({ client, store: options.store, logger: options.logger }),
    deliver_report: deliverReport({ client, store: options.store, postToResponseUrl, logger: options.logger }),
    deliver_export: exportDelivery({ client, service: options.service, transfer: options.transfer, exportClaims: options.store.requestClaims, exportVersion: options.exportVersion, logger: options.logger }),
  };
}

/** A slash command's response_url takes a message for the channel until it expires (30 minutes, 5 uses). */
async function postToResponseUrl(url: string, message: SlackMessage & { response_type: 'in_channel' | 'ephemeral' }): Promise<void> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(EFFECT_CALL_TIMEOUT_MS) });
  if (!answer.ok) throw new Error(`the response_url answered HTTP ${answer.status}`);
}
