import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../cases/model';
import type { CaseListFilter, CaseService } from '../../cases/service';
import type { Logger } from '../../log';
import { actorOf } from '../actor';
import { caseCard } from '../blocks/case-card';
import { caseListMessage, LIST_PAGE_SIZE } from '../blocks/case-list';
import { helpMessage } from '../blocks/help';
import { warning } from '../blocks/notice';
import { publishCaseCard } from '../case-card-publisher';
import { channelOrigin } from '../channels';
import { replyForError } from '../replies';
import { type CaseCommand, parseCaseCommand } from './parse';

export const CASE_COMMAND = '/case';

export interface CommandDeps {
  service: CaseService;
  logger: Logger;
}

interface CommandContext extends CommandDeps {
  actor: Actor;
  channelId: string;
  client: WebClient;
  respond: RespondFn;
}

/** `/case`: ack at once (Slack waits 3 s), then parse, run the use-case and reply. */
export function registerCaseCommand(app: App, deps: CommandDeps): void {
  app.command(CASE_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const context: CommandContext = {
      ...deps,
      actor: actorOf({ id: command.user_id, name: command.user_name }, command.team_id),
      channelId: command.channel_id,
      client,
      respond,
    };
    const parsed = parseCaseCommand(command.text ?? '');
    try {
      if (!parsed.ok) await respond({ response_type: 'ephemeral', ...warning(parsed.error) });
      else await runCommand(parsed.command, context);
    } catch (error) {
      await respond({ response_type: 'ephemeral', ...replyForError(error, deps.logger) });
    }
  });
}

async function runCommand(command: CaseCommand, context: CommandContext): Promise<void> {
  const { service, actor, respond } = context;
  switch (command.kind) {
    case 'help':
      await respond({ response_type: 'ephemeral', ...helpMessage() });
      return;
    case 'new': {
      const origin = await channelOrigin(context.client, actor.teamId, context.channelId, context.logger);
      const created = await service.openCase(
        actor,
        { title: command.title, severity: command.severity, tags: command.tags, assignees: command.assignees },
        origin,
      );
      context.logger.info({ caseId: created.id, number: created.number, teamId: created.teamId }, 'case opened');
      await publishCaseCard(created, context.client, respond, service, context.logger);
      return;
    }
    case 'list': {
      const filter = { statuses: command.statuses, mine: command.mine, tag: command.tag, severities: command.severities };
      await respond({ response_type: 'ephemeral', ...(await listReply(service, actor, filter)) });
      return;
    }
    case 'show':
      await respond({ response_type: 'ephemeral', ...caseCard(await service.getCase(actor, command.ref)) });
      return;
  }
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
  return filter.tag ? `${base} tagged #${filter.tag}` : base;
}
