import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import type { Config } from './config';
import type { EvidenceLookups } from './cases/evidence-lookups';
import { clusterEvidenceLookups } from './evidence-es/evidence-lookups';
import type { AlertData } from './cases/attachments';
import { alertsChartSpec, alertScopeOf } from './evidence-es/alerts-chart-source';
import { checkAlerts } from './evidence-es/alerts';
import { IndexAllowList } from './evidence-es/index-patterns';
import { type QueryChartSpec, queryChartSource } from './evidence-es/query-chart-source';
import { installSlackEventsTemplate } from './evidence-es/slack-events-template';
import { VisibilityPolicy } from './cases/policy';
import { EvidenceService } from './cases/evidence-service';
import { caseChartSources } from './charts/case-sources';
import { createChartRenderer } from './charts/choose-renderer';
import { CaseTransfer } from './kibana/case-transfer';
import { CaseAccess } from './cases/case-access';
import { WarRooms } from './cases/war-room';
import { CaseService } from './cases/service';
import { slaPolicy } from './cases/sla';
import { SlaWatch } from './cases/sla-watch';
import { NudgeWatch } from './cases/nudge-watch';
import { DigestWatch } from './cases/digest-watch';
import { nudgePolicy } from './cases/nudges';
import type { CaseStore } from './cases/store';
import type { Logger } from './log';
import { classifyKibanaFailure, kibanaMirroring, type KibanaSync } from './kibana-sync';
import { Dispatcher } from './outbox/dispatcher';
import { Scheduler } from './scheduler/scheduler';
import { digestJob, nudgeJob, slaJob } from './scheduler/jobs';
import { buildSlackApp, listenerClient } from './slack/app';
import { effectClient, installedWorkspaceClients, singleWorkspaceClients } from './slack/effects/effect-clients';
import { InstallationSeal } from './slack/oauth/installation-seal';
import { SealedInstallationStore } from './slack/oauth/sealed-installation-store';
import type { Actor } from './cases/model';
import { RecentCharts } from './slack/charts/recent-charts';
import { classifySlackFailure } from './slack/effects/slack-failures';
import { slackEffectHandlers } from './slack/effects/slack-effects';
import { slackErrorCode } from './slack/slack-errors';
import { SlackChannelMembership } from './slack/membership';
import { memberWithEmail } from './slack/members';
import { createElasticsearchClient } from './storage/elasticsearch/client';
import { ElasticsearchCaseStore } from './storage/elasticsearch/elasticsearch-store';
import { SqliteCaseStore } from './storage/sqlite/sqlite-store';

export interface RunningCaseops {
  /** The HTTP port actually bound (useful when PORT=0); in Socket Mode, the health port. */
  port: number;
  stop(): Promise<void>;
}

function createStore(config: Config, cluster: Client | undefined): CaseStore {
  switch (config.store) {
    case 'sqlite':
      return new SqliteCaseStore(config.dataDir);
    case 'elasticsearch':
      if (!cluster) throw new Error('CASEOPS_STORE=elasticsearch needs ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID');
      return new ElasticsearchCaseStore({ client: cluster, indexPrefix: config.elasticsearch.indexPrefix });
  }
}

/**
 * With a cluster configured (for the store or not), attached messages are indexed as ECS documents and
 * indicators and alerts looked up in it. The events template is installed at start; if the cluster is down
 * then, evidence is still attached, without its documents, and the failure is logged.
 */
async function clusterEvidence(config: Config, cluster: Client | undefined, logger: Logger): Promise<EvidenceLookups | undefined> {
  if (!cluster) return undefined;
  await installSlackEventsTemplate(cluster).catch((error: unknown) => {
    logger.error({ err: error }, 'could not install the Slack events index template; attached messages are not indexed until it is');
  });
  return clusterEvidenceLookups(cluster, { namespace: config.elasticsearch.slackEventsNamespace, threatIntelIndex: config.elasticsearch.threatIntelIndex });
}

/**
 * Composition: store → services → Slack app → listen. A store that cannot be opened does not stop the
 * process: /healthz answers 503 and every command says storage is unavailable, until it recovers.
 */
export async function startCaseops(config: Config, logger: Logger): Promise<RunningCaseops> {
  const cluster = config.elasticsearch.url || config.elasticsearch.cloudId ? createElasticsearchClient(config.elasticsearch) : undefined;
  const store = createStore(config, cluster);
  await store.init().catch((error: unknown) => {
    logger.error({ err: error }, 'case storage unavailable at start-up; /healthz answers 503 until it recovers');
  });
  const lookups = await clusterEvidence(config, cluster, logger);
  const allowedIndices = new IndexAllowList(config.elasticsearch.chartIndices);
  const charts = createChartRenderer({ renderer: config.charts.renderer, quickchartUrl: config.charts.quickchartUrl }, logger.child({ component: 'charts' }));
  const sla = slaPolicy(config.sla.targets, config.sla.warnAtPercent);
  const kibanaSync = config.kibana.sync !== undefined;
  const classify = (error: unknown) => classifyKibanaFailure(error) ?? classifySlackFailure(error);
  const dispatcher = new Dispatcher({ store: store.outbox, logger: logger.child({ component: 'outbox' }), classify, ...config.outbox });
  const recentCharts = new RecentCharts();
  const installations = config.slack.oauth && new SealedInstallationStore(store.installations, new InstallationSeal(config.slack.oauth.encryptionKeys));
  let service: CaseService | undefined;
  let evidence: EvidenceService | undefined;
  let transfer: CaseTransfer | undefined;
  let policy: VisibilityPolicy | undefined;
  let access: CaseAccess | undefined;
  let mirroring: KibanaSync | undefined;
  let rooms: WarRooms | undefined;
  const { app, healthServer, authorize } = buildSlackApp(config, {
    store,
    logger,
    installations,
    services: ({ client, authorize }) => {
      const installed = authorize && installedWorkspaceClients(authorize, (token) => listenerClient(token, config.slack.apiUrl, logger));
      const clientOf = installed ? async (teamId: string) => (await installed(teamId)).client : async () => client;
      policy = new VisibilityPolicy(new SlackChannelMembership(clientOf), config.admins, (teamId) => installations?.installerOf(teamId));
      service = new CaseService(store, policy, { owner: config.owner, outbox: dispatcher, indexEvents: lookups !== undefined, kibanaSync });
      evidence = new EvidenceService(store, policy, {
        lookups,
        outbox: dispatcher,
        kibanaSync,
        onLookupFailure: (what, error) => logger.warn({ err: error }, `${what} failed; the evidence is attached without it`),
      });
      // Writes of the bot's own (SLA checks, nudges, digests, what the Kibana mirror's state shows on the card).
      access = new CaseAccess(store, policy, () => new Date(), dispatcher);
      // People's changes (roles) are pushed to Kibana like any other; the room's own steps are the bot's.
      rooms = new WarRooms(new CaseAccess(store, policy, () => new Date(), dispatcher, kibanaSync));
      mirroring = kibanaMirroring({
        sync: config.kibana.sync,
        space: config.kibana.space,
        owner: config.owner,
        access,
        service,
        evidence,
        profileUids: config.kibana.profileUids,
        // The Kibana sync runs with one workspace only (config.ts), whose client this is.
        slackUserByEmail: (email) => memberWithEmail(client, email),
        replica: dispatcher.owner,
        tellAdmins: config.admins.length
          ? async (text) => {
              // A workspace's admin (T…:U…) is told by their user id, the direct message's channel.
              for (const admin of config.admins) await client.chat.postMessage({ channel: admin.split(':').pop()!, text });
            }
          : undefined,
        logger: logger.child({ component: 'kibana-sync' }),
      });
      return {
        service,
        delivery: dispatcher,
        exportClaims: store.requestClaims,
        transfer: (transfer = new CaseTransfer(service, store, config.kibana)),
        evidence,
        kibanaLinks: mirroring.links,
        rooms,
        settings: { kibana: config.kibana, indicators: config.indicators, sla, rooms: config.rooms },
        charts: {
          renderer: charts,
          recent: recentCharts,
          sources: caseChartSources(store),
          timeZone: config.timeZone,
          ...(cluster
            ? {
                cluster: (spec: QueryChartSpec) => queryChartSource(cluster, spec, { allowedIndices }),
                alertsQuery: async (alerts: AlertData[]) => alertsChartSpec(alertScopeOf((await checkAlerts(cluster, alerts)).found)),
              }
            : {}),
        },
      };
    },
  });
  let started: Server | undefined;
  let bot: { userId: string; teamId: string } | undefined;
  try {
    await app.init().catch((error: unknown) => {
      throw refusedToken('SLACK_BOT_TOKEN', 'the bot token of the installed app (xoxb-…)', error);
    });
    started = (await app.start(config.port).catch((error: unknown) => {
      throw config.slack.appToken ? refusedToken('SLACK_APP_TOKEN', 'an app-level token (xapp-…) with connections:write', error) : error;
    })) as Server | undefined;
    if (config.slack.botToken) {
      const identity = await app.client.auth.test();
      bot = { userId: identity.user_id!, teamId: identity.team_id! };
    }
  } catch (error) {
    await store.close();
    await cluster?.close();
    throw error;
  }
  const effectClients = bot
    ? singleWorkspaceClients(effectClient(config.slack.botToken!, config.slack.apiUrl, logger), bot.userId)
    : installedWorkspaceClients(authorize!, (token) => effectClient(token, config.slack.apiUrl, logger));
  // From here on the effects every replica (this one included, before a restart) left due are delivered.
  dispatcher.start({
    ...slackEffectHandlers({ clients: effectClients, store, service: service!, evidence: evidence!, renderer: charts, recentCharts, sla, kibana: config.kibana, transfer: transfer!, rooms: rooms!, canSee: (userId, theCase) => policy!.canSee({ userId, teamId: theCase.teamId }, theCase), exportVersion: config.kibana.exportVersion, timeZone: config.timeZone, logger }),
    ...mirroring!.handlers,
  });
  mirroring!.start();
  // Time-driven work (SLA checks, nudges, digests) in every workspace served, each slot once across the replicas
  // on this store; recorded as the bot of the workspace.
  const bots = async (): Promise<Actor[]> =>
    (bot ? [bot] : await installations!.workspaces().then((workspaces) => workspaces.map(({ teamId, botUserId }) => ({ teamId, userId: botUserId })))).map((actor) => ({ ...actor, name: 'caseops' }));
  const jobs = [
    slaJob(async () => (await bots()).map((asBot) => new SlaWatch(access!, sla, asBot))),
    nudgeJob(async () => (await bots()).map((asBot) => new NudgeWatch(access!, nudgePolicy(config.nudges), asBot))),
    digestJob(async () => (await bots()).map((asBot) => new DigestWatch(store, config.timeZone, asBot, dispatcher))),
  ];
  const scheduler = new Scheduler({ store: store.outbox, logger: logger.child({ component: 'scheduler' }), jobs, replica: dispatcher.owner });
  scheduler.start();
  const port = healthServer ? await listen(healthServer, config.port) : boundPort(started, config.port);
  logger.info({ port, mode: config.slack.appToken ? 'socket' : 'http', store: config.store }, 'caseops is listening');
  return {
    port,
    async stop() {
      await app.stop();
      await scheduler.stop();
      await mirroring!.stop();
      await dispatcher.stop();
      if (healthServer) {
        healthServer.closeAllConnections();
        await new Promise((resolve) => healthServer.close(resolve));
      }
      await store.close();
      await cluster?.close();
    },
  };
}

/** A start-up failure Slack caused by refusing a token, named by its setting; other failures pass unchanged. */
function refusedToken(setting: string, expected: string, error: unknown): unknown {
  const code = slackErrorCode(error);
  return code ? new Error(`Slack refused ${setting} (${code}): it must be ${expected}`) : error;
}

function boundPort(server: Server | undefined, fallback: number): number {
  const address = server?.address?.();
  return address && typeof address === 'object' ? (address as AddressInfo).port : fallback;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve((server.address() as AddressInfo).port));
  });
}
