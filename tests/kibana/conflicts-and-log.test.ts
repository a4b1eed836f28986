import { kibanaImportResponse, renderImportLog, summarizeImport } from '../../src/kibana/import/import-log';
import { exportText, importText, parseLines, unitsAsExportInput } from './support/files';
import { CASE_A, CASE_B, goodFile, ndjson, commentObject } from './support/lines';
import { CASE_ID, richExportInput } from './support/rich-case';

/** Kibana's conflict handling: stop (default), overwrite, or create new copies with references remapped. */
describe('when cases already exist', () => {
  const existing = (ids: string[]) => async (asked: string[]) => new Set(asked.filter((id) => ids.includes(id)));

  it('by default, one conflict means nothing is written, and the log says why and what to do', async () => {
    const asked: string[][] = [];
    const result = await importText(ndjson(goodFile()), {
      existingCaseIds: async (ids) => {
        asked.push(ids);
        return new Set([CASE_B]);
      },
    });
    expect(asked).toEqual([[CASE_A, CASE_B]]);
    expect(result.units).toEqual([]);
    expect(result.problems.find((problem) => problem.code === 'conflict')).toMatchObject({ line: 5, type: 'cases', id: CASE_B });
    const log = renderImportLog(result);
    expect(log).toContain('the file was refused; nothing was imported.');
    expect(log).toContain('Nothing was imported: 1 case in the file already exists in caseops. Import again with "overwrite"');
  });

  it('with overwrite, every case is returned and the existing ones are marked to be replaced', async () => {
    const result = await importText(ndjson(goodFile()), { mode: 'overwrite', existingCaseIds: existing([CASE_B]) });
    expect(result.units.map((unit) => [unit.case.id, unit.overwrite])).toEqual([
      [CASE_A, false],
      [CASE_B, true],
    ]);
    expect(renderImportLog(result)).toContain('2 cases ready to import (1 replacing existing ones).');
    expect(kibanaImportResponse(result)).toMatchObject({ success: true, successCount: 5, successResults: expect.arrayContaining([{ type: 'cases', id: CASE_B, meta: { title: 'Case 2222' }, overwrite: true }]) });
  });

  it('with create new copies, every object gets a new id and every reference follows', async () => {
    let asked = false;
    const original = await exportText([richExportInput()], { target: '9.2' });
    const result = await importText(original, {
      mode: 'create-new-copies',
      existingCaseIds: async () => {
        asked = true;
        return new Set();
      },
    });
    expect(asked).toBe(false);
    const [unit] = result.units;
    expect(unit?.case.id).not.toBe(CASE_ID);
    const copy = parseLines(await exportText(unitsAsExportInput(result), { target: '9.2' })).slice(0, -1) as any[];
    const originalIds = new Set(parseLines(original).map((line) => line.id));
    const copyIds = new Set(copy.map((object) => object.id as string));
    for (const object of copy) {
      if (!String(object.attributes.comment ?? '').includes('"of":')) expect(originalIds.has(object.id)).toBe(false);
      for (const reference of object.references) {
        if (['cases', 'cases-comments'].includes(reference.type)) expect(copyIds.has(reference.id)).toBe(true);
      }
    }
    expect(result.newIds.get(`cases:${CASE_ID}`)).toBe(unit?.case.id);
    expect(kibanaImportResponse(result)).toMatchObject({ successResults: expect.arrayContaining([{ type: 'cases', id: CASE_ID, meta: { title: unit?.case.title }, destinationId: unit?.case.id, createNewCopy: true }]) });
  });

  it('with a copy seed, importing the same upload twice makes the same copies', async () => {
    const text = ndjson(goodFile());
    const first = await importText(text, { mode: 'create-new-copies', copySeed: 'F0UPLOAD' });
    const second = await importText(text, { mode: 'create-new-copies', copySeed: 'F0UPLOAD' });
    const other = await importText(text, { mode: 'create-new-copies' });
    expect(second.units).toEqual(first.units);
    expect(other.units[0]?.case.id).not.toBe(first.units[0]?.case.id);
    expect(first.units[0]?.userActions[1]?.attachmentId).toBe(first.units[0]?.attachments[0]?.id);
  });
});

describe('the import log', () => {
  it('counts what was in the file, what is ready and what is not, then lists problems by line', async () => {
    const objects = goodFile();
    objects[1] = commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, { comment: 42 });
    const result = await importText(ndjson([...objects, { id: 'a1', type: 'action', attributes: {}, references: [] }], 6));
    expect(summarizeImport(result)).toEqual({
      refused: false,
      cases: { inFile: 2, ready: 1, notImported: 1 },
      comments: { inFile: 1, ready: 0, notImported: 1 },
      userActions: { inFile: 2, ready: 0, notImported: 2 },
      skipped: 1,
      errors: 2,
      warnings: 1,
    });
    const log = renderImportLog(result);
    expect(log).toContain('1 case ready to import.');
    expect(log).toContain('In the file: 2 cases, 1 comment, 2 user actions, and 1 other object skipped.');
    expect(log).toContain('Not imported: 1 case, 1 comment, 2 user actions.');
    expect(log).toContain('• line 2, cases-comments c1111111-1111-4111-8111-111111111111: Its attributes are not what Kibana stores for cases-comments: attributes.comment: expected string, received number.');
    expect(log).toContain(`• line 1, cases ${CASE_A}: Case "Case 1111" was not imported, nor its 1 comment and 2 user actions`);
    expect(log.indexOf('Problems (2)')).toBeLessThan(log.indexOf('Notes (1)'));
    expect(kibanaImportResponse(result)).toMatchObject({
      success: false,
      successCount: 1,
      errors: expect.arrayContaining([
        { type: 'action', id: 'a1', meta: {}, error: { type: 'unsupported_type' } },
        expect.objectContaining({ type: 'cases-comments', error: expect.objectContaining({ type: 'unknown', statusCode: 400 }) }),
      ]),
    });
  });

  it('gives Kibana’s 400 body when the whole file is refused', async () => {
    const result = await importText(ndjson([...goodFile(), goodFile()[0] as Record<string, unknown>]));
    expect(kibanaImportResponse(result)).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('Non-unique import objects detected') });
  });
});
