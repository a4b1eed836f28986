import type { App, SlackViewAction, ViewOutput } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { DuplicateAttachmentError } from '../../cases/errors';
import type { Actor } from '../../cases/model';
import { actorOfInteraction } from '../actor';
import type { SlackDeps } from '../deps';
import { notifyUser } from '../notify';
import { replyForError } from '../replies';

export type FieldErrors = Record<string, string>;

export interface SubmissionContext extends SlackDeps {
  actor: Actor;
  view: ViewOutput;
  client: WebClient;
}

export interface SubmissionHandler {
  /** Problems shown inline under the fields (`response_action: errors`); nothing is done. */
  validate(view: ViewOutput): FieldErrors;
  /** A view that replaces this one once submitted (`response_action: update`), decided before the ack. */
  next?(context: SubmissionContext): Promise<ModalView | undefined>;
  /** The work, after the ack. Its failure reaches the user by direct message (a modal has no response_url). */
  work(context: SubmissionContext): Promise<void>;
  /** Where to tell the user of a failure, when the work knows a better place than a direct message. */
  onFailure?(context: SubmissionContext, error: unknown): Promise<boolean>;
}

/**
 * Registers a modal submission: validate before the ack, so problems show inline instead of as a failure;
 * then the work, keyed by the view id by each handler so a double submission has one effect.
 */
export function onSubmit(app: App, deps: SlackDeps, callbackId: string, handler: SubmissionHandler): void {
  app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
    const errors = handler.validate(view);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const context: SubmissionContext = { ...deps, actor: actorOfInteraction(body), view, client };
    const next = await handler.next?.(context).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not prepare the follow-up view');
      return undefined;
    });
    await ack(next ? { response_action: 'update', view: next } : undefined);
    try {
      await handler.work(context);
    } catch (error) {
      if (error instanceof DuplicateAttachmentError) return; // the same submission, delivered again
      if (await handler.onFailure?.(context, error)) return;
      await notifyUser(client, context.actor.userId, replyForError(error, deps.logger), deps.logger);
    }
  });
}
