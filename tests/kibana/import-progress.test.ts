import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importIntoStore } from '../../src/kibana/case-transfer';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { draftCase } from '../contract/case-store-contract';
import { chunked, IMPORT_CHANNEL, TEAM } from './support/files';
import { CASE_A, CASE_B, goodFile, ndjson } from './support/lines';

/** An import reports how far its writing is after every case, written or not, on a real SQLite store. */
describe('import progress', () => {
  let dir: string;
  let store: SqliteCaseStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-import-progress-'));
    store = new SqliteCaseStore(dir);
    await store.init();
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('counts every case tried out of the file’s, the ones that could not be written too', async () => {
    const seen: [number, number][] = [];
    const outcome = await importIntoStore(store, chunked(ndjson(goodFile())), { teamId: TEAM, origin: IMPORT_CHANNEL }, (tried, total) => {
      seen.push([tried, total]);
      // Another writer creates the second case between the two writes: it cannot be written, and still counts.
      // (The SQLite store writes before its promise is returned: better-sqlite3 is synchronous.)
      if (tried === 1) void store.createCase(draftCase({ id: CASE_B, teamId: TEAM }));
    });
    expect(seen).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(outcome.written.map((theCase) => theCase.id)).toEqual([CASE_A]);
    expect(outcome.failed.map(({ unit, reason }) => [unit.case.id, reason])).toEqual([[CASE_B, expect.stringMatching(/created meanwhile/)]]);
  });
});
