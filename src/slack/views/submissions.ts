import type { App, SlackViewAction, ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DuplicateAttachmentError } from '../../cases/errors';
import { type Actor, CASE_LIMITS, type NewCaseInput, NewCaseInput as NewCaseSchema, type Severity } from '../../cases/model';
import { actorOf } from '../actor';
import { publishChange } from '../case-activity';
import { publishCaseCard } from '../case-card-publisher';
import { channelOrigin } from '../channels';
import type { SlackDeps } from '../deps';
import { directMessageFallback, notifyUser } from '../notify';
import { replyForError } from '../replies';
import { FIELDS, VIEWS } from './ids';
import { parseTagList } from './new-case-modal';
import { metadataString, readMetadata, selectedConversation, selectedUsers, selectedValue, textValue } from './state';

type Errors = Partial<Record<(typeof FIELDS)[keyof typeof FIELDS], string>>;

interface SubmissionContext extends SlackDeps {
  actor: Actor;
  view: ViewOutput;
  client: WebClient;
}

/**
 * Modal submissions. Input is validated before the ack, so problems show inline under the field
 * (`response_action: errors`) instead of as a failure; the work happens after the ack, keyed by the view
 * id so a double submission has one effect.
 */
export function registerSubmissions(app: App, deps: SlackDeps): void {
  const onSubmit = (callbackId: string, validate: (view: ViewOutput) => Errors, work: (context: SubmissionContext) => Promise<void>) =>
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      const errors = validate(view);
      if (Object.keys(errors).length > 0) {
        await ack({ response_action: 'errors', errors: errors as Record<string, string> });
        return;
      }
      await ack();
      const actor = actorOf(body.user, body.user.team_id ?? body.team?.id ?? '');
      try {
        await work({ ...deps, actor, view, client });
      } catch (error) {
        if (error instanceof DuplicateAttachmentError) return; // the same submission, delivered again
        await notifyUser(client, actor.userId, replyForError(error, deps.logger), deps.logger);
      }
    });

  onSubmit(VIEWS.newCase, validateNewCase, async ({ service, actor, view, client, logger }) => {
    const values = view.state.values;
    const channelId = metadataString(readMetadata(view.private_metadata), 'channelId') ?? selectedConversation(values, FIELDS.channel);
    if (!channelId) return;
    const origin = await channelOrigin(client, actor.teamId, channelId, logger);
    const { case: created, created: isNew } = await service.openCase(actor, newCaseInput(view), origin, view.id);
    if (!isNew) return; // a repeated submission: the first one posts the card
    logger.info({ caseId: created.id, number: created.number, teamId: created.teamId }, 'case opened');
    await publishCaseCard(created, client, directMessageFallback(client, actor.userId, channelId, logger), service, logger);
  });

  onSubmit(VIEWS.comment, validateComment, async ({ service, actor, view, client, logger }) => {
    const caseId = metadataString(readMetadata(view.private_metadata), 'caseId') ?? '';
    const result = await service.addComment(actor, { id: caseId }, textValue(view.state.values, FIELDS.comment), view.id);
    await publishChange(result, actor, client, logger);
  });

  onSubmit(VIEWS.edit, validateEdit, async ({ service, actor, view, client, logger }) => {
    const ref = { id: metadataString(readMetadata(view.private_metadata), 'caseId') ?? '' };
    const values = view.state.values;
    await publishChange(await service.setTitle(actor, ref, textValue(values, FIELDS.title)), actor, client, logger);
    // A description too long for Slack's input is not in the modal, and must not be cleared.
    if (values[FIELDS.description]) {
      await publishChange(await service.setDescription(actor, ref, textValue(values, FIELDS.description)), actor, client, logger);
    }
  });
}

function newCaseInput(view: ViewOutput): NewCaseInput {
  const values = view.state.values;
  return {
    title: textValue(values, FIELDS.title),
    description: textValue(values, FIELDS.description),
    severity: (selectedValue(values, FIELDS.severity) ?? 'low') as Severity,
    tags: parseTagList(textValue(values, FIELDS.tags)),
    assignees: selectedUsers(values, FIELDS.assignees),
  };
}

/** The same rules the service applies, mapped to the field they concern. */
function validateNewCase(view: ViewOutput): Errors {
  const parsed = NewCaseSchema.safeParse(newCaseInput(view));
  const errors: Errors = {};
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? FIELDS.title) as keyof Errors;
    errors[field] ??= capitalize(issue.message);
  }
  const hasChannel = metadataString(readMetadata(view.private_metadata), 'channelId') ?? selectedConversation(view.state.values, FIELDS.channel);
  if (!hasChannel) errors.channel = 'Choose where to post the case card';
  return errors;
}

function validateComment(view: ViewOutput): Errors {
  return textValue(view.state.values, FIELDS.comment).trim() === '' ? { comment: 'A comment cannot be empty' } : {};
}

function validateEdit(view: ViewOutput): Errors {
  const title = textValue(view.state.values, FIELDS.title).trim();
  if (title === '') return { title: 'A case needs a title' };
  if (title.length > CASE_LIMITS.titleLength) return { title: `A title can have at most ${CASE_LIMITS.titleLength} characters` };
  return {};
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
