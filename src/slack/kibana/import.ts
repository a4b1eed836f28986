import type { App, BlockAction, MessageShortcut } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AlertData } from '../../cases/attachments';
import type { Actor } from '../../cases/model';
import type { ImportMode, WrittenImport } from '../../kibana';
import { renderImportLog } from '../../kibana';
import { actorOfInteraction } from '../actor';
import type { SlackMessage } from '../blocks/case-card';
import { caseLabel } from '../blocks/case-format';
import { warning } from '../blocks/notice';
import { codeText, escapeMrkdwn, truncate } from '../blocks/text';
import { channelOrigin } from '../channels';
import type { SlackDeps } from '../deps';
import { DOWNLOAD_TIMEOUT_MS, DownloadError, type SlackFile, downloadFile, slackHostedFile } from '../file-download';
import { uploadLines } from '../files';
import { notifyUser } from '../notify';
import { ProgressMessage } from '../progress-message';
import { VALUE, VIEWS } from '../views/ids';
import { modal } from '../views/modal';
import { metadataString, readMetadata } from '../views/state';
import { type FieldErrors, onSubmit } from '../views/submission-handler';

export const IMPORT_SHORTCUT = 'case_import_file';
export const IMPORT_ACTIONS = { overwrite: 'import_overwrite', copies: 'import_copies' } as const;
const FILE_FIELD = 'file';

const ONLY_ADMINS = 'Only caseops admins (CASEOPS_ADMINS) can import cases: an import can overwrite cases everyone relies on.';

/** `/case import`: a modal with a file input, opened at once. */
export function importModal(channelId: string): ModalView {
  return modal({
    callbackId: VIEWS.import,
    title: 'Import from Kibana',
    submit: 'Import',
    metadata: { channelId },
    blocks: [
      {
        type: 'input',
        block_id: FILE_FIELD,
        label: { type: 'plain_text', text: 'Kibana saved-objects export (.ndjson)' },
        element: { type: 'file_input', action_id: VALUE, filetypes: ['ndjson'], max_files: 1 },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'If a case already exists, nothing is written and you choose: overwrite, or import new copies.' }],
      },
    ],
  });
}

/**
 * The file a payload names. Only its id is kept: the payload's URL could point anywhere, so the file is
 * looked up again with files.info before it is read (file-download.ts).
 */
function fileIdOf(file: { id?: string; name?: string } | undefined): { id: string; name: string } | undefined {
  return file?.id ? { id: file.id, name: file.name ?? '' } : undefined;
}

/** Reads, checks and writes one file, then tells the admin what happened (with retry buttons on conflicts). */
async function runImport(deps: SlackDeps, client: WebClient, actor: Actor, fileId: string, channelId: string, mode: ImportMode): Promise<void> {
  const refuse = (text: string) => notifyUser(client, actor.userId, warning(text), deps.logger);
  let file: SlackFile;
  try {
    file = await slackHostedFile(client, fileId);
  } catch (error) {
    if (error instanceof DownloadError) return refuse(`${error.message}. Nothing was imported.`);
    throw error;
  }
  if (!file.name.toLowerCase().endsWith('.ndjson')) return refuse(`\`${codeText(file.name, 60)}\` is not a Kibana export: it must be an .ndjson file.`);
  const { maxBytes } = deps.transfer.importLimits;
  if (file.size !== undefined && file.size > maxBytes) {
    return refuse(`\`${codeText(file.name, 60)}\` is ${(file.size / 1024 ** 2).toFixed(1)} MB; imports are limited to ${(maxBytes / 1024 ** 2).toFixed(0)} MB. Nothing was imported.`);
  }
  const origin = await channelOrigin(client, actor.teamId, channelId, deps.logger);
  const name = `\`${codeText(file.name, 80)}\``;
  const started = `:hourglass_flowing_sand: Importing ${name}…`;
  const posted = await client.chat.postMessage({ channel: actor.userId, text: started });
  const progress = new ProgressMessage(client, posted.channel ?? actor.userId, posted.ts, deps.logger);
  const showProgress = (tried: number, total: number) => progress.show(`${started} ${count(tried)} of ${count(total)} cases`);
  let outcome: WrittenImport;
  try {
    const source = downloadFile(file, client.token ?? '', { maxBytes, timeoutMs: DOWNLOAD_TIMEOUT_MS });
    outcome = await deps.transfer.importFile(source, { teamId: actor.teamId, origin, mode, copySeed: file.id }, showProgress);
  } catch (error) {
    await progress.end(`:warning: The import of ${name} stopped; the next message says why.`).catch(() => undefined);
    if (error instanceof DownloadError) return refuse(`${error.message}. Nothing was imported.`);
    throw error;
  }
  const { written, failed, result } = outcome;
  // The cases are written whatever Slack answers here: the log below still tells the admin.
  await progress.end(`:white_check_mark: Import of ${name} finished: ${count(written.length)} of ${count(result.units.length)} cases written. The log follows.`).catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'could not end the import progress message');
  });
  deps.logger.info({ file: file.id, mode, written: written.length, failed: failed.length, problems: result.problems.length }, 'Kibana import');
  const alerts = outcome.result.units.flatMap((unit) => unit.attachments.filter((attachment) => attachment.type === 'alert').map((attachment) => attachment.data as AlertData));
  await postImportLog(client, actor, file, channelId, outcome, await deps.evidence.missingAlerts(alerts));
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

const LOG_IN_MESSAGE = 2600;

/** The import log in a direct message; a long one also as a file, so every line number can be read. */
async function postImportLog(client: WebClient, actor: Actor, file: SlackFile, channelId: string, outcome: WrittenImport, missingAlerts?: AlertData[]): Promise<void> {
  const { result, written, failed } = outcome;
  const log = [
    renderImportLog(result),
    ...(missingAlerts?.length
      ? ['', `Alerts not found in Elasticsearch (${missingAlerts.length}); check them before relying on these cases:`, ...missingAlerts.map((alert) => `- ${alert.alertId} in ${alert.index}`)]
      : []),
    ...(written.length ? ['', `Written: ${written.map(caseLabel).join(', ')}.`] : []),
    ...(failed.length ? ['', 'Could not be written:', ...failed.map(({ unit, reason }) => `- case ${unit.case.id} (“${truncate(unit.case.title, 60)}”): ${reason}`)] : []),
  ].join('\n');
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Import of \`${codeText(file.name, 80)}\`*\n\`\`\`${escapeMrkdwn(truncate(log, LOG_IN_MESSAGE))}\`\`\`` } }];
  const conflicted = result.problems.some((problem) => problem.code === 'conflict');
  if (conflicted && result.mode === 'stop-on-conflict') {
    const value = JSON.stringify({ file: file.id, channel: channelId });
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: IMPORT_ACTIONS.overwrite, style: 'danger', text: { type: 'plain_text', text: 'Overwrite' }, value },
        { type: 'button', action_id: IMPORT_ACTIONS.copies, text: { type: 'plain_text', text: 'Create new copies' }, value },
      ],
    });
  }
  const posted = await client.chat.postMessage({ channel: actor.userId, text: `Import of ${codeText(file.name, 80)}: ${written.length} case(s) written`, blocks });
  if (log.length > LOG_IN_MESSAGE && posted.channel) {
    await uploadLines(client, { lines: (async function* lines() { yield* log.split('\n'); })(), filename: 'import-log.txt', title: 'Full import log', channelId: posted.channel });
  }
}

function importFailure(deps: SlackDeps, client: WebClient, actor: Actor) {
  return async (error: unknown) => {
    deps.logger.error({ err: error }, 'Kibana import failed');
    await notifyUser(client, actor.userId, warning('The import failed on our side and nothing more was written. Please try again.'), deps.logger);
  };
}

/** `/case import`, the import modal, the message shortcut on a message with an .ndjson file, and the retry buttons. */
export function registerImport(app: App, deps: SlackDeps): void {
  onSubmit(app, deps, VIEWS.import, {
    validate: (view): FieldErrors => (fileIdOf(view.state.values[FILE_FIELD]?.[VALUE]?.files?.[0]) ? {} : { [FILE_FIELD]: 'Choose an .ndjson file exported from Kibana' }),
    work: async ({ actor, view, client }) => {
      if (!deps.service.isAdmin(actor)) return void (await notifyUser(client, actor.userId, warning(ONLY_ADMINS), deps.logger));
      const file = fileIdOf(view.state.values[FILE_FIELD]?.[VALUE]?.files?.[0]);
      const channelId = metadataString(readMetadata(view.private_metadata), 'channelId') ?? actor.userId;
      if (file) await runImport(deps, client, actor, file.id, channelId, 'stop-on-conflict');
    },
  });

  app.shortcut<MessageShortcut>(IMPORT_SHORTCUT, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const actor = actorOfInteraction(shortcut);
    if (!deps.service.isAdmin(actor)) return void (await respond({ response_type: 'ephemeral', ...warning(ONLY_ADMINS) }));
    const files = (shortcut.message as { files?: Parameters<typeof fileIdOf>[0][] }).files ?? [];
    const file = files.map(fileIdOf).find((candidate) => candidate?.name.toLowerCase().endsWith('.ndjson'));
    if (!file) return void (await respond({ response_type: 'ephemeral', ...warning('That message carries no .ndjson file to import.') }));
    await respond({ response_type: 'ephemeral', text: `Importing \`${codeText(file.name, 80)}\`… the log will arrive in your direct messages with caseops.` });
    await runImport(deps, client, actor, file.id, shortcut.channel.id, 'stop-on-conflict').catch(importFailure(deps, client, actor));
  });

  for (const [actionId, mode] of [
    [IMPORT_ACTIONS.overwrite, 'overwrite'],
    [IMPORT_ACTIONS.copies, 'create-new-copies'],
  ] as const) {
    app.action<BlockAction>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const actor = actorOfInteraction(body);
      if (!deps.service.isAdmin(actor)) return void (await respond?.({ response_type: 'ephemeral', replace_original: false, ...warning(ONLY_ADMINS) }));
      const target = readMetadata((action as { value?: string }).value);
      const fileId = metadataString(target, 'file') ?? '';
      await respond?.({ replace_original: true, text: `Importing the file again (${mode === 'overwrite' ? 'overwriting existing cases' : 'as new copies'})…` });
      await runImport(deps, client, actor, fileId, metadataString(target, 'channel') ?? actor.userId, mode).catch(importFailure(deps, client, actor));
    });
  }
}

export const onlyAdmins: SlackMessage = warning(ONLY_ADMINS);
