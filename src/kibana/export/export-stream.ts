import type { ProfileUids } from '../users';
import { type CaseExportInput, caseSavedObjects } from './case-objects';
import type { ExportContext, ExportWarning } from './context';
import { KeyOrder } from './key-order';
import { exportSummaryLine } from './ndjson';
import { DEFAULT_KIBANA_TARGET, type KibanaTarget, TARGET_PROFILES } from './versions';

export interface ExportOptions {
  /** Which Kibana the file is for (versions.ts); default DEFAULT_KIBANA_TARGET. */
  target?: KibanaTarget;
  /** Slack user id → Kibana profile uid, for assignees and users (assignees.ts, users.ts). */
  profileUids?: ProfileUids;
  /** Called after each case with the number of objects written so far. */
  onProgress?: (objectsWritten: number) => void;
  /** Called for anything exported differently from how caseops holds it. */
  onWarning?: (warning: ExportWarning) => void;
}

/**
 * A Kibana saved-objects export of the given cases, as lines (no newline characters; join them with
 * ndjsonChunks). Streams: only one case is in memory at a time, so memory does not grow with the number of
 * cases. Objects of a case are in Kibana's order; cases follow the input order (Kibana would interleave
 * the objects of several cases by id, which needs the whole export in memory; its import does not care).
 */
export async function* exportLines(cases: AsyncIterable<CaseExportInput> | Iterable<CaseExportInput>, options: ExportOptions = {}): AsyncGenerator<string> {
  const context: ExportContext = {
    profile: TARGET_PROFILES[options.target ?? DEFAULT_KIBANA_TARGET],
    profileUids: options.profileUids ?? new Map(),
    warn: options.onWarning ?? (() => undefined),
  };
  let written = 0;
  for await (const input of cases) {
    const keyOrder = new KeyOrder();
    for (const object of await caseSavedObjects(input, context, keyOrder)) {
      yield keyOrder.line(object);
      written += 1;
    }
    options.onProgress?.(written);
  }
  yield exportSummaryLine(written);
}
