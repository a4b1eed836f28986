import type { App, ViewOutput } from '@slack/bolt';
import { InvalidInputError } from '../../cases/errors';
import { CASE_LIMITS, type NewCaseInput, NewCaseInput as NewCaseSchema, type Severity } from '../../cases/model';
import { channelOrigin } from '../channels';
import type { SlackDeps } from '../deps';
import { CAPTURE_WAIT_BEFORE_ACK_MS, offeredIndicators, waitForCapture } from '../evidence-capture';
import { indicatorsModal } from './evidence-modals';
import { FIELDS, VIEWS } from './ids';
import { parseTagList } from './new-case-modal';
import { metadataString, readMetadata, selectedConversation, selectedUsers, selectedValue, textValue } from './state';
import { onSubmit } from './submission-handler';

type Errors = Partial<Record<(typeof FIELDS)[keyof typeof FIELDS], string>>;

/** The new-case, comment and edit modals. */
export function registerSubmissions(app: App, deps: SlackDeps): void {
  onSubmit(app, deps, VIEWS.newCase, {
    validate: validateNewCase,
    // A case from a message offers the message's indicators next, in place of this modal.
    next: async ({ service, evidence, actor, view, settings }) => {
      const captureId = metadataString(readMetadata(view.private_metadata), 'captureId');
      const capture = captureId && (await waitForCapture(evidence, captureId, CAPTURE_WAIT_BEFORE_ACK_MS));
      const indicators = capture ? offeredIndicators(capture.message.text, settings) : [];
      if (!captureId || indicators.length === 0) return undefined;
      return indicatorsModal({ caseId: service.caseIdFor(actor.teamId, view.id), caseLabel: 'the new case', captureId }, indicators);
    },
    work: async ({ service, evidence, actor, view, client, logger }) => {
      const metadata = readMetadata(view.private_metadata);
      const channelId = metadataString(metadata, 'channelId') ?? selectedConversation(view.state.values, FIELDS.channel);
      if (!channelId) return;
      const captureId = metadataString(metadata, 'captureId');
      const capture = captureId ? await waitForCapture(evidence, captureId) : undefined;
      if (captureId && !capture) throw new InvalidInputError('the message to attach could not be read back; please use the shortcut again');
      const origin = await channelOrigin(client, actor.teamId, channelId, logger);
      const firstEvent = capture ? { message: capture.message, captureId: view.id } : undefined;
      const { case: created, created: isNew } = await service.openCase(actor, newCaseInput(view), origin, view.id, firstEvent);
      if (!isNew) return; // a repeated submission: the first one posts the card
      logger.info({ caseId: created.id, number: created.number, teamId: created.teamId }, 'case opened');
    },
  });

  onSubmit(app, deps, VIEWS.comment, {
    validate: validateComment,
    work: async ({ service, actor, view }) => {
      const caseId = metadataString(readMetadata(view.private_metadata), 'caseId') ?? '';
      await service.addComment(actor, { id: caseId }, textValue(view.state.values, FIELDS.comment), view.id);
    },
  });

  onSubmit(app, deps, VIEWS.edit, {
    validate: validateEdit,
    work: async ({ service, actor, view }) => {
      const ref = { id: metadataString(readMetadata(view.private_metadata), 'caseId') ?? '' };
      const values = view.state.values;
      await service.setTitle(actor, ref, textValue(values, FIELDS.title));
      // A description too long for Slack's input is not in the modal, and must not be cleared.
      if (values[FIELDS.description]) await service.setDescription(actor, ref, textValue(values, FIELDS.description));
    },
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
