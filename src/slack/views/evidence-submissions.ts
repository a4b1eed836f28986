import type { App, ViewOutput } from '@slack/bolt';
import { CaseNotFoundError, InvalidInputError } from '../../cases/errors';
import { classifyIndicator } from '../../cases/indicators';
import type { IndicatorToAdd } from '../../cases/evidence-service';
import { caseLabel } from '../blocks/case-format';
import { info } from '../blocks/notice';
import { cardCaughtUp } from '../case-activity';
import type { SlackDeps } from '../deps';
import { CAPTURE_WAIT_BEFORE_ACK_MS, offeredIndicators, waitForCapture } from '../evidence-capture';
import { replyForError } from '../replies';
import { EVIDENCE_FIELDS, indicatorsModal } from './evidence-modals';
import { VALUE, VIEWS } from './ids';
import { metadataString, readMetadata, textValue } from './state';
import { type FieldErrors, onSubmit, type SubmissionContext } from './submission-handler';

/** The case chosen in the picker: an external_select's selected option carries the case id. */
function pickedCaseId(view: ViewOutput): string | undefined {
  const element = Object.values(view.state.values[EVIDENCE_FIELDS.case] ?? {})[0];
  return element?.selected_option?.value ?? undefined;
}

/** Answers through the response_url of the message shortcut, so the reply appears where the message is. */
async function replyInChannel(context: SubmissionContext, message: { text: string; blocks?: unknown[] }): Promise<boolean> {
  const captureId = metadataString(readMetadata(context.view.private_metadata), 'captureId');
  const capture = captureId ? await context.evidence.getCapture(captureId) : null;
  if (!capture?.responseUrl) return false;
  const response = await fetch(capture.responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
  });
  return response.ok;
}

/** Lines typed under "Add others", each read as one indicator; the ones that are not get named. */
function typedIndicators(view: ViewOutput): { indicators: IndicatorToAdd[]; rejected: string[] } {
  const lines = textValue(view.state.values, EVIDENCE_FIELDS.moreIndicators)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const indicators: IndicatorToAdd[] = [];
  const rejected: string[] = [];
  for (const line of lines) {
    const classified = classifyIndicator(line);
    if (classified) indicators.push({ ...classified, source: 'manual' });
    else rejected.push(line);
  }
  return { indicators, rejected };
}

/** Option values of the ticked checkboxes: indexes into the extraction from the captured message. */
function tickedIndexes(view: ViewOutput): number[] {
  return Object.entries(view.state.values)
    .filter(([blockId]) => blockId.startsWith(`${EVIDENCE_FIELDS.indicators}_`))
    .flatMap(([, elements]) => elements[VALUE]?.selected_options ?? [])
    .map((option) => Number(option.value))
    .filter((index) => Number.isInteger(index) && index >= 0);
}

/** A case being opened by the same submission may not be stored yet when its indicators arrive. */
async function retryWhileOpening<T>(work: () => Promise<T>, attempts = 30, delayMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof CaseNotFoundError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** "Add to case" and the indicator confirmation that follows an attached message. */
export function registerEvidenceSubmissions(app: App, deps: SlackDeps): void {
  onSubmit(app, deps, VIEWS.addMessage, {
    validate: (view): FieldErrors => (pickedCaseId(view) ? {} : { [EVIDENCE_FIELDS.case]: 'Choose a case' }),
    next: async ({ service, evidence, actor, view, settings }) => {
      const captureId = metadataString(readMetadata(view.private_metadata), 'captureId');
      const capture = captureId && (await waitForCapture(evidence, captureId, CAPTURE_WAIT_BEFORE_ACK_MS));
      const indicators = capture ? offeredIndicators(capture.message.text, settings) : [];
      if (!captureId || indicators.length === 0) return undefined;
      const target = await service.getCase(actor, { id: pickedCaseId(view) ?? '' }).catch(() => undefined);
      return target ? indicatorsModal({ caseId: target.id, caseLabel: caseLabel(target), captureId }, indicators) : undefined;
    },
    work: async (context) => {
      const { evidence, actor, view } = context;
      const captureId = metadataString(readMetadata(view.private_metadata), 'captureId') ?? '';
      const capture = await waitForCapture(evidence, captureId);
      if (!capture) throw new InvalidInputError('the message to attach could not be read back (the form was open too long); please use the shortcut again');
      const note = textValue(view.state.values, EVIDENCE_FIELDS.note).trim();
      const result = await evidence.attachMessage(actor, { id: pickedCaseId(view) ?? '' }, capture.message, { note: note || undefined, captureId: view.id });
      const label = caseLabel(result.case);
      if (result.alreadyAttached) {
        await replyInChannel(context, info(`That message is already attached to case ${label}; nothing changed.`));
        return;
      }
      if (result.actions.length === 0) return; // the same submission, delivered again
      await cardCaughtUp(context.delivery, result);
      await replyInChannel(context, info(`Attached to case ${label}.`));
    },
    onFailure: async (context, error) => replyInChannel(context, replyForError(error, context.logger)),
  });

  onSubmit(app, deps, VIEWS.indicators, {
    validate: (view): FieldErrors => {
      const { rejected } = typedIndicators(view);
      return rejected.length ? { [EVIDENCE_FIELDS.moreIndicators]: `Not an IP, domain, URL, hash or email: ${rejected.slice(0, 3).join(', ')}` } : {};
    },
    work: async ({ evidence, settings, actor, view }) => {
      const metadata = readMetadata(view.private_metadata);
      const capture = await waitForCapture(evidence, metadataString(metadata, 'captureId') ?? '');
      const found = capture ? offeredIndicators(capture.message.text, settings) : [];
      const ticked = tickedIndexes(view).flatMap((index) => (found[index] ? [{ value: found[index].value, type: found[index].type, source: 'message' as const }] : []));
      const chosen = [...ticked, ...typedIndicators(view).indicators];
      if (chosen.length === 0) return;
      const ref = { id: metadataString(metadata, 'caseId') ?? '' };
      await retryWhileOpening(() => evidence.addIndicators(actor, ref, chosen));
    },
  });
}
