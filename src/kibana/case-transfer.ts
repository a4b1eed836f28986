import type { ExportSelection } from '../cases/export-request';
import type { Actor, Case, Status } from '../cases/model';
import type { CaseService } from '../cases/service';
import type { CaseStore } from '../cases/store';
import type { CaseExportInput } from './export/case-objects';
import { exportLines } from './export/export-stream';
import type { KibanaTarget } from './export/versions';
import { type CaseImportUnit, type ImportOptions, type ImportResult, importKibanaFile } from './import/import-file';
import type { FileChunk } from './import/lines';
import type { ImportLimits } from './import/parse';

/**
 * The bridge between the Kibana layer and the case store: which cases an export reads (only those the
 * requester may see), and how an import's per-case units are written (each atomically).
 */

/**
 * An export reads the children of up to this many cases together (CaseStore.listChildren), and of fewer when
 * their attachments would pass the second bound, so what a batch holds in memory stays small; a case with more
 * attachments than that is read alone.
 */
const BATCH_CASES = 100;
const BATCH_ATTACHMENTS = 10_000;

async function* selectedCases(service: CaseService, actor: Actor, selection: ExportSelection): AsyncGenerator<Case> {
  if (selection.kind === 'cases') {
    for (const ref of selection.refs) yield await service.getCase(actor, ref);
    return;
  }
  const statuses: Status[] | undefined = selection.kind === 'open' ? ['open', 'in-progress'] : undefined;
  // A page at a time, by number, so an export's memory does not grow with the case count.
  for await (const page of service.scanCases(actor, { statuses })) yield* page;
}

/** The cases in batches whose children are read together (BATCH_CASES, BATCH_ATTACHMENTS). */
async function* inBatches(cases: AsyncIterable<Case>): AsyncGenerator<Case[]> {
  let batch: Case[] = [];
  let attachments = 0;
  for await (const theCase of cases) {
    const count = Object.values(theCase.totals).reduce((sum, total) => sum + total, 0);
    if (batch.length > 0 && (batch.length === BATCH_CASES || attachments + count > BATCH_ATTACHMENTS)) {
      yield batch;
      batch = [];
      attachments = 0;
    }
    batch.push(theCase);
    attachments += count;
  }
  if (batch.length > 0) yield batch;
}

/** What the Kibana export reads: each selected case with its attachments and user actions. */
export async function* exportInputs(service: CaseService, store: CaseStore, actor: Actor, selection: ExportSelection): AsyncGenerator<CaseExportInput> {
  for await (const batch of inBatches(selectedCases(service, actor, selection))) {
    const children = await store.listChildren(actor.teamId, batch.map((theCase) => theCase.id));
    for (const theCase of batch) {
      const { attachments, userActions } = children.get(theCase.id) ?? { attachments: [], userActions: [] };
      yield { case: theCase, attachments, userActions };
    }
  }
}

export interface WrittenImport {
  result: ImportResult;
  written: Case[];
  /** Units that could not be written (the case appeared meanwhile, or the store failed), with the reason. */
  failed: { unit: CaseImportUnit; reason: string }[];
}

/** How far the writing of an import is: cases tried (written or failed) out of those the file holds. */
export type ImportProgress = (tried: number, total: number) => void;

/**
 * Reads a Kibana export and writes its cases, one atomic write per case, calling `onProgress` after each (a
 * large import into Elasticsearch writes a few hundred cases a second).
 */
export async function importIntoStore(
  store: CaseStore,
  source: AsyncIterable<FileChunk>,
  options: Omit<ImportOptions, 'existingCaseIds'>,
  onProgress?: ImportProgress,
): Promise<WrittenImport> {
  const result = await importKibanaFile(source, {
    ...options,
    existingCaseIds: async (ids) => {
      const found = await Promise.all(ids.map((id) => store.getCase(options.teamId, { id })));
      return new Set(found.flatMap((theCase) => (theCase ? [theCase.id] : [])));
    },
  });
  const written: Case[] = [];
  const failed: WrittenImport['failed'] = [];
  for (const unit of result.units) {
    const write = { actions: unit.userActions, addAttachments: unit.attachments };
    try {
      if (unit.overwrite) {
        written.push(await store.replaceCase(unit.case, write));
        continue;
      }
      const outcome = await store.createCase(unit.case, write);
      if (outcome.created) written.push(outcome.case);
      else failed.push({ unit, reason: 'a case with this id was created meanwhile; import again to overwrite it' });
    } catch (error) {
      failed.push({ unit, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      onProgress?.(written.length + failed.length, result.units.length);
    }
  }
  return { result, written, failed };
}

/** Export and import as the Slack layer uses them, bound to the store and the Kibana settings. */
export class CaseTransfer {
  constructor(
    private readonly service: CaseService,
    private readonly store: CaseStore,
    private readonly settings: { exportVersion: KibanaTarget; profileUids: ReadonlyMap<string, string>; importLimits: ImportLimits },
  ) {}

  /** The ndjson lines of the selected cases the actor may see, streamed (the summary line last). */
  exportLines(actor: Actor, selection: ExportSelection, onProgress?: (objects: number) => void): AsyncGenerator<string> {
    return exportLines(exportInputs(this.service, this.store, actor, selection), {
      target: this.settings.exportVersion,
      profileUids: this.settings.profileUids,
      onProgress,
    });
  }

  importFile(source: AsyncIterable<FileChunk>, options: Pick<ImportOptions, 'teamId' | 'origin' | 'mode' | 'copySeed'>, onProgress?: ImportProgress): Promise<WrittenImport> {
    return importIntoStore(this.store, source, { ...options, profileUids: this.settings.profileUids, limits: this.settings.importLimits }, onProgress);
  }

  get importLimits(): ImportLimits {
    return this.settings.importLimits;
  }
}
