import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { VisibilityPolicy } from './cases/policy';
import { EvidenceService } from './cases/evidence-service';
import { caseChartSources } from './charts/case-sources';
import { createChartRenderer } from './charts/renderer';
import { CaseTransfer } from './kibana/case-transfer';
import { CaseService } from './cases/service';
import type { CaseStore } from './cases/store';
import type { Logger } from './log';
import { buildSlackApp } from './slack/app';
import { SlackChannelMembership } from './slack/membership';
import { createElasticsearchClient } from './storage/elasticsearch/client';
import { ElasticsearchCaseStore } from './storage/elasticsearch/elasticsearch-store';
import { SqliteCaseStore } from './storage/sqlite/sqlite-store';

export interface RunningCaseops {
  /** The HTTP port actually bound (useful when PORT=0); in Socket Mode, the health port. */
  port: number;
  stop(): Promise<void>;
}

function createStore(config: Config): CaseStore {
  switch (config.store) {
    case 'sqlite':
      return new SqliteCaseStore(config.dataDir);
    case 'elasticsearch':
      return new ElasticsearchCaseStore({ client: createElasticsearchClient(config.elasticsearch), indexPrefix: config.elasticsearch.indexPrefix });
  }
}

/**
 * Composition: store → services → Slack app → listen. A store that cannot be opened does not stop the
 * process: /healthz answers 503 and every command says storage is unavailable, until it recovers.
 */
export async function startCaseops(config: Config, logger: Logger): Promise<RunningCaseops> {
  const store = createStore(config);
  await store.init().catch((error: unknown) => {
    logger.error({ err: error }, 'case storage unavailable at start-up; /healthz answers 503 until it recovers');
  });
  const charts = createChartRenderer({ renderer: config.charts.renderer, quickchartUrl: config.charts.quickchartUrl }, logger.child({ component: 'charts' }));
  const { app } = buildSlackApp(config, {
    store,
    logger,
    services: (client) => {
      const policy = new VisibilityPolicy(new SlackChannelMembership(client), config.admins);
      const service = new CaseService(store, policy, { owner: config.owner });
      return {
        service,
        transfer: new CaseTransfer(service, store, config.kibana),
        evidence: new EvidenceService(store, policy),
        settings: { kibana: config.kibana, indicators: config.indicators },
        charts: { renderer: charts, sources: caseChartSources(store), timeZone: config.timeZone },
      };
    },
  });
  await app.init();
  const started = (await app.start(config.port)) as Server | undefined;
  const address = started?.address?.();
  const port = address && typeof address === 'object' ? (address as AddressInfo).port : config.port;
  logger.info({ port, mode: config.slack.appToken ? 'socket' : 'http', store: config.store }, 'caseops is listening');
  return {
    port,
    async stop() {
      await app.stop();
      await store.close();
    },
  };
}
