import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { WebClient } from '@slack/web-api';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Config } from '../config';
import type { CaseStore } from '../cases/store';
import { type Logger, toSlackLogger } from '../log';
import { registerCardActions } from './actions/card-actions';
import { registerHelpActions } from './actions/help-actions';
import { registerEventActions } from './actions/event-actions';
import { registerChartModal } from './charts/chart-modal';
import { registerMessageEvents } from './events/message-events';
import { registerRoomEvents } from './events/room-events';
import { registerImport } from './kibana/import';
import { registerHome } from './home';
import { registerMessageShortcuts } from './shortcuts/message-shortcuts';
import { registerCasePicker } from './views/case-picker';
import { registerEvidenceSubmissions } from './views/evidence-submissions';
import { registerNewCaseEntryPoints } from './shortcuts/new-case';
import { registerSubmissions } from './views/submissions';
import { fallbackListeners } from './fallbacks';
import { type ListenerCatalog, withListenerRouter } from './listener-router';
import { registerCaseCommand } from './commands/case-command';
import type { SlackDeps } from './deps';
import type { AuthorizeWorkspace } from './effects/effect-clients';
import { oauthReceiverOptions, registerInstallationEvents, workspaceAuthorizer } from './oauth/install';
import type { SealedInstallationStore } from './oauth/sealed-installation-store';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/**
 * Slack calls are retried a few times within seconds (429s honour Retry-After), not the client's default of
 * ten retries over half an hour: an analyst waiting on a reply needs a clear failure sooner than that.
 */
const SLACK_RETRIES = { retries: 3, factor: 2, minTimeout: 250, maxTimeout: 2000 };

/** A client like the app's own, on a workspace's token (OAuth distribution): for the services' calls outside a listener. */
export function listenerClient(token: string, apiUrl: string, logger: Logger): WebClient {
  return new webApi.WebClient(token, { slackApiUrl: apiUrl, logger: toSlackLogger(logger), retryConfig: SLACK_RETRIES });
}

export interface SlackAppDeps {
  store: CaseStore;
  logger: Logger;
  /** In OAuth distribution: where installations are kept. */
  installations?: SealedInstallationStore;
  /** Builds the services once the app's Web API client exists (visibility checks call Slack through it). */
  services(slack: SlackAccess): Omit<SlackDeps, 'logger'>;
}

/** How the services reach Slack: the app's client, and in OAuth distribution a workspace's installation. */
export interface SlackAccess {
  /** With one workspace, the client on its bot token; in OAuth distribution it has no token of its own. */
  client: WebClient;
  authorize?: AuthorizeWorkspace;
}

/**
 * Builds the Bolt app: HTTP mode on `/slack/events` (commands, interactivity, options and events share one
 * URL), or Socket Mode when an app token is configured. `/healthz` is served in both: by the HTTP receiver,
 * or in Socket Mode by `healthServer`, which the caller starts on PORT.
 */
export function buildSlackApp(config: Config, deps: SlackAppDeps): { app: App; listeners: ListenerCatalog; healthServer?: Server; authorize?: AuthorizeWorkspace } {
  const slackLogger = toSlackLogger(deps.logger);
  const health = healthHandler(deps.store, deps.logger);
  const { appToken, oauth } = config.slack;
  const httpReceiver = () =>
    new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      endpoints: EVENTS_PATH,
      logger: slackLogger,
      customRoutes: [{ path: HEALTH_PATH, method: ['GET'], handler: health }],
      // Uploads of Kibana exports come as files, never request bodies; Slack's own payloads are small.
      bodyLimit: '1mb',
      ...(oauth && deps.installations ? oauthReceiverOptions(oauth, config.slack.apiUrl, deps.installations) : {}),
    });
  const receiver: Receiver = appToken
    ? new SocketModeReceiver({
        appToken,
        logger: slackLogger,
        // The Socket Mode client asks for its WebSocket URL (apps.connections.open) through its own Web API
        // client: without this it would ignore SLACK_API_URL (GovSlack, a proxy, the test emulator).
        installerOptions: { clientOptions: { slackApiUrl: config.slack.apiUrl } },
      })
    : httpReceiver();
  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: slackLogger,
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: SLACK_RETRIES },
    // The token is checked (auth.test) by app.init() before listening, so a bad token stops start-up.
    deferInitialization: true,
  });
  const installer = receiver instanceof HTTPReceiver ? receiver.installer : undefined;
  const authorize = installer && deps.installations && workspaceAuthorizer(installer, deps.installations);
  const { app: recording, catalog, route } = withListenerRouter(app);
  registerListeners(recording, { ...deps.services({ client: app.client, authorize }), logger: deps.logger });
  registerInstallationEvents(recording, deps.installations, deps.logger);
  route(fallbackListeners(deps.logger));
  return { app, listeners: catalog, ...(appToken ? { healthServer: healthServerOf(health) } : {}), ...(authorize ? { authorize } : {}) };
}

/**
 * Socket Mode's HTTP side: `/healthz` only. Ours rather than the receiver's (which serves custom routes too),
 * so that the port it listens on is known when PORT=0 and it stops with the app.
 */
function healthServerOf(health: (request: IncomingMessage, response: ServerResponse) => void): Server {
  return createServer((request, response) => {
    if (request.method === 'GET' && request.url?.split('?')[0] === HEALTH_PATH) return health(request, response);
    response.writeHead(404).end();
  });
}

/** Every listener caseops has; the manifest test checks this list against manifests/slack-app.json. */
function registerListeners(app: App, deps: SlackDeps): void {
  registerCaseCommand(app, deps);
  registerHelpActions(app, deps);
  registerNewCaseEntryPoints(app);
  registerCardActions(app, deps);
  registerSubmissions(app, deps);
  registerHome(app, deps);
  registerMessageShortcuts(app, deps);
  registerCasePicker(app, deps);
  registerEvidenceSubmissions(app, deps);
  registerEventActions(app, deps);
  registerMessageEvents(app, deps);
  registerRoomEvents(app, deps);
  registerChartModal(app, deps);
  registerImport(app, deps);
}

function healthHandler(store: CaseStore, logger: Logger) {
  return (_request: IncomingMessage, response: ServerResponse): void => {
    store.health().then(
      (health) => {
        if (!health.ok) logger.error({ reason: health.reason }, 'health check failed: case storage unavailable');
        response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
        response.end(JSON.stringify(health.ok ? { status: 'ok' } : { status: 'unavailable', reason: health.reason }));
      },
      (error: unknown) => {
        logger.error({ err: error }, 'health check failed');
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'unavailable' }));
      },
    );
  };
}
