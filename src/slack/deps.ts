import type { WarRooms } from '../cases/war-room';
import type { AlertData } from '../cases/attachments';
import type { EvidenceService } from '../cases/evidence-service';
import type { CaseChartSources } from '../charts/case-sources';
import type { Config } from '../config';
import type { CaseTransfer } from '../kibana/case-transfer';
import type { ChartDataSource } from '../charts/pipeline';
import type { ChartRenderer } from '../charts/renderer';
import type { QueryChartSpec } from '../evidence-es/query-chart-source';
import type { KibanaLinker } from '../cases/kibana-link';
import type { CaseService } from '../cases/service';
import type { RequestClaims } from '../cases/request-claims';
import type { SlaPolicy } from '../cases/sla';
import type { Logger } from '../log';
import type { CardDelivery } from './case-activity';
import type { RecentCharts } from './charts/recent-charts';

/** Settings the Slack surfaces need beyond the services. */
export interface SlackSettings {
  kibana: Config['kibana'];
  /** Indicators offered from messages leave out private IPs and these domains unless configured otherwise. */
  indicators: { includePrivateIps: boolean; ignoreDomains: string[] };
  /** The SLA targets, which every card shows. */
  sla: SlaPolicy;
  /** War rooms: the reaction that attaches a message of the room to its case. */
  rooms: Config['rooms'];
}

/** What every listener gets: the use-cases, the logger and the settings. */
export interface SlackDeps {
  service: CaseService;
  evidence: EvidenceService;
  logger: Logger;
  settings: SlackSettings;
  charts: {
    renderer: ChartRenderer;
    /** What this process drew, for the outbox's upload of it. */
    recent: RecentCharts;
    sources: CaseChartSources;
    timeZone: string;
    /** Charts of Elasticsearch queries, when a cluster is configured. */
    cluster?: (spec: QueryChartSpec) => ChartDataSource;
    /** The query charting Security alerts for these attached alerts' hosts and rules (null: none found). */
    alertsQuery?: (alerts: AlertData[]) => Promise<QueryChartSpec | null>;
  };
  transfer: CaseTransfer;
  /** `/case link` of a case born in Kibana; undefined when live sync is off. */
  kibanaLinks?: KibanaLinker;
  /** War rooms: a channel of a case's own. */
  rooms: WarRooms;
  /** The outbox's delivery of card edits and thread lines, which listeners wait for briefly. */
  delivery: CardDelivery;
  /** Exports under way, claimed in the store: a double tap posts one file, whichever replicas the taps reach. */
  exportClaims: RequestClaims;
}
