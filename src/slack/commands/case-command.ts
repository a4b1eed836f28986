import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../cases/model';
import type { ChangeResult } from '../../cases/case-access';
import type { Logger } from '../../log';
import { InvalidInputError } from '../../cases/errors';
import type { AttachResult } from '../../cases/evidence-service';
import { classifyIndicator } from '../../cases/indicators';
import { parseTimelineTarget } from '../../cases/timeline-link';
import { DEFAULT_ALERT_INDEX } from '../../cases/attachments';
import { alertLink } from '../../evidence-es/deep-links';
import type { CaseListFilter, CaseService } from '../../cases/service';
import { actorOf } from '../actor';
import type { SlackDeps } from '../deps';
import { caseCard, type SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { caseListMessage, LIST_PAGE_SIZE } from '../blocks/case-list';
import { EVENTS_PAGE_SIZE, eventsMessage } from '../blocks/events';
import { helpMessage } from '../blocks/help';
import { escapeMrkdwn, mentionChannel, truncate } from '../blocks/text';
import { info, warning } from '../blocks/notice';
import { CARD_WILL_CATCH_UP, cardCaughtUp } from '../case-activity';
import { parseCaseChartRequest } from '../charts/chart-request';
import { postCaseChart, postPortfolioChart } from '../charts/post-chart';
import { postMetrics } from '../charts/post-metrics';
import { postDigest } from '../digest';
import { channelOrigin } from '../channels';
import { KibanaLinkError } from '../../cases/kibana-link';
import { runExport } from '../kibana/export';
import { importModal, onlyAdmins } from '../kibana/import';
import { replyForError } from '../replies';
import { newCaseModal } from '../views/new-case-modal';
import { type CaseCommand, parseCaseCommand } from './parse';
import { roomRequestReply } from '../blocks/room';
import { ROLE_NAMES } from '../../cases/war-room';

export const CASE_COMMAND = '/case';

/** How many user actions `/case show` lists under the card. */
const HISTORY_SHOWN = 10;


interface CommandContext extends SlackDeps {
  actor: Actor;
  channelId: string;
  triggerId: string;
  responseUrl: string;
  client: WebClient;
  respond: RespondFn;
}

/** `/case`: ack at once (Slack waits 3 s), then parse, run the use-case and reply. */
export function registerCaseCommand(app: App, deps: SlackDeps): void {
  app.command(CASE_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const context: CommandContext = {
      ...deps,
      actor: actorOf({ id: command.user_id, name: command.user_name }, command.team_id),
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      responseUrl: command.response_url,
      client,
      respond: confirmingOnly(respond, deps.logger),
    };
    const parsed = parseCaseCommand(command.text ?? '');
    try {
      if (!parsed.ok) await context.respond({ response_type: 'ephemeral', ...warning(parsed.error) });
      else await runCommand(parsed.command, context);
    } catch (error) {
      await context.respond({ response_type: 'ephemeral', ...replyForError(error, deps.logger) });
    }
  });
}

async function runCommand(command: CaseCommand, context: CommandContext): Promise<void> {
  const { service, actor, respond } = context;
  const reply = async (message: SlackMessage): Promise<void> => {
    await respond({ response_type: 'ephemeral', ...message });
  };
  switch (command.kind) {
    case 'help':
      return reply(helpMessage());
    case 'new':
      return command.title === '' ? openNewCaseModal(command, context) : openCase(command, context);
    case 'list':
      return reply(await listReply(service, actor, { statuses: command.statuses, mine: command.mine, tag: command.tag, severities: command.severities }));
    case 'show': {
      const theCase = await service.getCase(actor, command.ref);
      return reply(caseCard(theCase, { history: await service.recentHistory(actor, command.ref, HISTORY_SHOWN), sla: context.settings.sla, kibana: context.settings.kibana }));
    }
    case 'comment':
      // Keyed by the command's trigger id: the same request delivered twice adds one comment.
      return applyChange(context, await service.addComment(actor, command.ref, command.text, `command:${context.triggerId}`), 'comment added');
    case 'status':
      return applyChange(context, await service.setStatus(actor, command.ref, command.status), `status is ${command.status.replace('-', ' ')}`);
    case 'severity':
      return applyChange(context, await service.setSeverity(actor, command.ref, command.severity), `severity is ${command.severity}`);
    case 'assign':
    case 'unassign': {
      const change = command.kind === 'assign' ? { add: command.users } : { remove: command.users };
      return applyChange(context, await service.changeAssignees(actor, command.ref, change), 'assignees updated');
    }
    case 'tag':
    case 'untag': {
      const change = command.kind === 'tag' ? { add: command.tags } : { remove: command.tags };
      return applyChange(context, await service.changeTags(actor, command.ref, change), 'tags updated');
    }
    case 'events': {
      const page = await context.evidence.listEvents(actor, command.ref, { offset: 0, limit: EVENTS_PAGE_SIZE });
      return reply(eventsMessage(page.case, page));
    }
    case 'indicator': {
      const classified = classifyIndicator(command.value);
      if (!classified) throw new InvalidInputError(`\`${command.value.slice(0, 60)}\` is not an IP, domain, URL, hash or email`);
      if (command.type && command.type !== classified.type) {
        throw new InvalidInputError(`\`${classified.value.slice(0, 60)}\` looks like ${classified.type}, not ${command.type}`);
      }
      const result = await context.evidence.addIndicators(actor, command.ref, [{ ...classified, source: 'manual' }]);
      return applyChange(context, result, `indicator ${classified.value} (${classified.type}) added`);
    }
    case 'timeline': {
      const target = parseTimelineTarget(command.target, context.settings.kibana);
      if (!target.ok) throw new InvalidInputError(target.error);
      const title = command.title ?? `Timeline ${target.timelineId.slice(0, 12)}`;
      const result = await context.evidence.addTimeline(actor, command.ref, { timelineId: target.timelineId, url: target.url, title });
      return attachReply(context, result, 'Timeline link added', 'that Timeline is already linked');
    }
    case 'chart': {
      if (command.target === 'all') return reply(await postPortfolioChart(context, context.client, actor, context.channelId, new Date()));
      const request = parseCaseChartRequest(command.words, new Date(), context.charts.timeZone);
      if (!request.ok) throw new InvalidInputError(request.error);
      return reply(await postCaseChart(context, actor, command.target, request.request, context.triggerId));
    }
    case 'metrics':
      return reply(await postMetrics(context, context.client, actor, context.channelId, command.words, new Date()));
    case 'digest':
      return reply(await postDigest(context, context.client, actor, context.channelId, new Date()));
    case 'digest-schedule': {
      const changed = await service.scheduleDigest(actor, context.channelId, command.time);
      if (command.time) return reply(info(`Daily digest on: this channel gets it every day at ${command.time} (${context.charts.timeZone}). \`/case digest off\` stops it.`));
      return reply(info(changed ? 'Daily digest off for this channel.' : 'This channel had no daily digest.'));
    }
    case 'export': {
      const exported = await runExport(context, actor, command.selection, context.channelId, context.triggerId);
      return exported ? reply(exported) : undefined;
    }
    case 'import':
      if (!service.isAdmin(actor)) return reply(onlyAdmins);
      await context.client.views.open({ trigger_id: context.triggerId, view: importModal(context.channelId) });
      return;
    case 'link':
      return linkKibanaCase(command.target, context);
    case 'role':
      return applyChange(context, await context.rooms.setRole(actor, command.ref, command.role, command.user), command.user ? `${ROLE_NAMES[command.role]} is <@${command.user}>` : `no ${ROLE_NAMES[command.role]}`);
    case 'room-capture':
      return applyChange(context, await context.rooms.setCapture(actor, command.ref, command.all), command.all ? 'every message of the war room is attached from now on' : 'only pinned messages of the war room are attached from now on');
    case 'report': {
      const theCase = await context.rooms.requestReport(actor, command.ref, context.responseUrl);
      const where = theCase.room?.channelId ? mentionChannel(theCase.room.channelId) : 'the case thread';
      return reply(info(`Writing the post-incident report of case ${caseLabel(theCase)}: it is posted in ${where} as a Markdown file.`));
    }
    case 'room': {
      return reply(roomRequestReply(await context.rooms.open(actor, command.ref, command.users, context.responseUrl)));
    }
    case 'alert': {
      const result = await context.evidence.addAlert(actor, command.ref, { alertId: command.alertId, index: command.index });
      const { url, space } = context.settings.kibana;
      const link = url ? ` (<${alertLink({ url, ...(space ? { space } : {}) }, { alertId: command.alertId, index: command.index ?? DEFAULT_ALERT_INDEX })}|open in Kibana>)` : '';
      const done = result.found === false ? `alert attached${link}, but Elasticsearch has no such alert in its index; check the id and index` : `alert attached${link}`;
      return attachReply(context, result, done, 'that alert is already attached');
    }
  }
}

async function attachReply(context: CommandContext, result: AttachResult, done: string, already: string): Promise<void> {
  if (result.alreadyAttached) {
    await context.respond({ response_type: 'ephemeral', ...info(`Case ${caseLabel(result.case)}: ${already}; nothing changed.`) });
    return;
  }
  await applyChange(context, result, done);
}

/** `/case new` with no title: the modal, prefilled with whatever options were typed. */
async function openNewCaseModal(command: Extract<CaseCommand, { kind: 'new' }>, context: CommandContext): Promise<void> {
  await context.client.views.open({
    trigger_id: context.triggerId,
    view: newCaseModal({ channelId: context.channelId, severity: command.severity, tags: command.tags, assignees: command.assignees }),
  });
}

async function openCase(command: Extract<CaseCommand, { kind: 'new' }>, context: CommandContext): Promise<void> {
  const { service, actor, client, logger, respond } = context;
  const origin = await channelOrigin(client, actor.teamId, context.channelId, logger);
  const { case: created, created: isNew, effectIds } = await service.openCase(
    actor,
    { title: command.title, severity: command.severity, tags: command.tags, assignees: command.assignees },
    origin,
    // The same request delivered twice opens one case; the first delivery posts its card.
    `command:${context.triggerId}`,
    undefined,
    // Where the bot cannot post, Slack still takes the card through the command's response_url.
    { responseUrl: context.responseUrl },
  );
  if (!isNew) return;
  logger.info({ caseId: created.id, number: created.number, teamId: created.teamId }, 'case opened');
  if (!(await cardCaughtUp(context.delivery, { effectIds }))) {
    await respond({ response_type: 'ephemeral', ...info(`Case ${caseLabel(created)} is open. ${CARD_WILL_CATCH_UP}`) });
  }
}

/** `/case link`: the Kibana case mirrored here, its card posted through the outbox as a new case's is. */
async function linkKibanaCase(target: string, context: CommandContext): Promise<void> {
  const { actor, client, logger, respond, kibanaLinks } = context;
  const reply = async (message: SlackMessage): Promise<void> => {
    await respond({ response_type: 'ephemeral', ...message });
  };
  if (!kibanaLinks) return reply(warning('Kibana live sync is off: an admin sets `CASEOPS_KIBANA_SYNC=on` with `KIBANA_URL` and a key (README, "Kibana live sync") before cases can be linked.'));
  const origin = await channelOrigin(client, actor.teamId, context.channelId, logger);
  try {
    const linked = await kibanaLinks.link(actor, origin, target, { responseUrl: context.responseUrl });
    if (linked.created) {
      logger.info({ caseId: linked.case.id, number: linked.case.number, kibanaCaseId: linked.case.kibanaMirror?.id }, 'Kibana case linked');
      return;
    }
    // Which case, and where, only for someone who may see it.
    const visible = await context.service.getCase(actor, { id: linked.case.id }).catch(() => null);
    const where = visible ? `as case ${caseLabel(visible)} in ${mentionChannel(visible.origin.channelId)}` : 'in a channel you are not in';
    await reply(info(`That Kibana case is already mirrored ${where}; nothing changed.`));
  } catch (error) {
    if (!(error instanceof KibanaLinkError)) throw error;
    await reply(warning(`Not linked: ${error.message}.`));
  }
}

/**
 * A reply that Slack refuses (response_url used up, expired, or failing) is logged, never thrown: the work
 * before it is done, and must not be reported as "nothing was changed", which would invite a second try.
 */
function confirmingOnly(respond: RespondFn, logger: Logger): RespondFn {
  return async (message) => {
    try {
      return await respond(message);
    } catch (error) {
      logger.warn({ err: error }, 'Slack refused a reply through the response_url');
      return undefined as unknown as Awaited<ReturnType<RespondFn>>;
    }
  };
}

/** A change made by command: the card and thread show it to everyone; the person who typed gets a one-liner. */
async function applyChange(context: CommandContext, result: ChangeResult, done: string): Promise<void> {
  const caughtUp = await cardCaughtUp(context.delivery, result);
  const label = caseLabel(result.case);
  await context.respond({
    response_type: 'ephemeral',
    ...info(result.actions.length ? `Case ${label}: ${done}.${caughtUp ? '' : ` ${CARD_WILL_CATCH_UP}`}` : `Case ${label}: nothing to change, it already was like that.`),
  });
}

/** One page of cases the actor may see, described in words so an empty answer still says what was asked. */
export async function listReply(service: CaseService, actor: Actor, filter: Omit<CaseListFilter, 'limit'>) {
  const page = await service.listCases(actor, { ...filter, limit: LIST_PAGE_SIZE });
  return caseListMessage(page, describeFilter(filter));
}

function describeFilter(filter: Omit<CaseListFilter, 'limit'>): string {
  const statuses = filter.statuses?.map((status) => status.replace('-', ' ')).join(' or ');
  const parts = [filter.severities?.join(' or '), statuses, filter.mine ? 'cases assigned to you' : 'cases'];
  const base = parts.filter(Boolean).join(' ');
  return filter.tag ? `${base} tagged #${escapeMrkdwn(truncate(filter.tag, 100))}` : base;
}
