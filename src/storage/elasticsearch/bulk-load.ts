import type { Client } from '@elastic/elasticsearch';
import type { Case, UserAction } from '../../cases/model';
import { committedCaseSource } from './case-documents';
import { caseNumberRecord } from './case-numbers';
import { childSource } from './child-documents';
import { userActionKind } from './child-kinds';
import { BulkBatch, throwUnlessExpected } from './document-io';
import type { IndexNames } from './index-names';

/**
 * Loads many numbered cases at once, each with its user actions, as the documents createCase leaves behind
 * (finalised, version as given), with their number records, plus each team's counter at its highest number. For loading fixtures and
 * benchmarks onto empty indices: it bypasses the write protocol, so nothing else may write meanwhile.
 */

export interface LoadedCase {
  case: Case;
  actions: UserAction[];
}

const DOCUMENTS_PER_REQUEST = 4_000;

export async function bulkLoadCases(client: Client, names: IndexNames, entries: readonly LoadedCase[]): Promise<void> {
  const userActions = userActionKind(names.userActions);
  const lastNumbers = new Map<string, number>();
  let batch = new BulkBatch();
  for (const [index, entry] of entries.entries()) {
    const commit = { op: `bulk-load-${entry.case.id}`, since_version: 1, attachment_ids: [], user_action_ids: entry.actions.map((action) => action.id) };
    batch.add({ create: { _index: names.cases, _id: entry.case.id } }, committedCaseSource(entry.case, commit));
    const record = caseNumberRecord(entry.case.teamId, entry.case.number, entry.case.id);
    batch.add({ create: { _index: names.counters, _id: record.id } }, record.source);
    entry.actions.forEach((action, ordinal) => {
      batch.add({ create: { _index: names.userActions, _id: action.id } }, childSource(userActions, { committed: action, position: { case_version: entry.case.version, ordinal } }));
    });
    lastNumbers.set(entry.case.teamId, Math.max(lastNumbers.get(entry.case.teamId) ?? 0, entry.case.number));
    if (batch.size >= DOCUMENTS_PER_REQUEST || index === entries.length - 1) {
      for (const item of await batch.run(client)) throwUnlessExpected(item, []);
      batch = new BulkBatch();
    }
  }
  for (const [teamId, lastNumber] of lastNumbers) {
    await client.index({ index: names.counters, id: teamId, document: { team_id: teamId, last_number: lastNumber, last_op: 'bulk-load' } });
  }
  await client.indices.refresh({ index: [names.cases, names.userActions, names.counters] });
}
