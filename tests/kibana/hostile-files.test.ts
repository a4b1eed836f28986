import { renderImportLog } from '../../src/kibana/import/import-log';
import type { ImportResult } from '../../src/kibana/import/import-file';
import type { ProblemCode } from '../../src/kibana/import/problems';
import { chunked, fixtureAsNdjson, importText, TEAM } from './support/files';
import { CASE_A, CASE_B, caseObject, commentObject, goodFile, ndjson, summaryLine, userActionObject } from './support/lines';
import { importKibanaFile } from '../../src/kibana/import/import-file';

/**
 * Broken and hostile files: each gives a clear log entry with its line, never an exception, never a
 * polluted prototype, and no case is returned for writing unless all of it is sound.
 */
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
});

const codes = (result: ImportResult) => result.problems.map((problem) => problem.code);
const caseIds = (result: ImportResult) => result.units.map((unit) => unit.case.id);
const problem = (result: ImportResult, code: ProblemCode) => {
  const found = result.problems.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} problem in:\n${renderImportLog(result)}`);
  return found;
};

function refusedWith(result: ImportResult, code: ProblemCode, line?: number): void {
  expect(result.units).toEqual([]);
  const found = problem(result, code);
  expect(found.scope).toBe('file');
  if (line !== undefined) expect(found.line).toBe(line);
  expect(renderImportLog(result)).toContain('the file was refused');
}

describe('files that are not usable at all are refused whole, with the line to look at', () => {
  it('1. an empty file', async () => refusedWith(await importText(''), 'no_objects'));
  it('2. only blank lines', async () => refusedWith(await importText('\n \n\t\n'), 'no_objects'));
  it('3. only a summary line', async () => refusedWith(await importText(summaryLine(0)), 'no_objects'));

  it('4. a truncated last line', async () => {
    const text = ndjson(goodFile(), null);
    const result = await importText(text.slice(0, text.length - 40));
    refusedWith(result, 'invalid_json', 5);
    expect(problem(result, 'invalid_json').message).toMatch(/not valid JSON .* cut off/);
  });

  it('5. broken JSON in the middle', async () => {
    const lines = ndjson(goodFile()).split('\n');
    lines[2] = '{"id": "x", "type": "cases-user-actions", attributes: {}}';
    refusedWith(await importText(lines.join('\n')), 'invalid_json', 3);
  });

  it('6. binary garbage', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 256));
    const result = await importText(garbage);
    expect(result.units).toEqual([]);
    expect(result.problems.every((entry) => ['not_utf8', 'invalid_json', 'not_an_object'].includes(entry.code) && entry.scope === 'file')).toBe(true);
  });

  it('7. a gzip archive', async () => refusedWith(await importText(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02])), 'not_ndjson'));
  it('8. a zip archive', async () => refusedWith(await importText(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(ndjson(goodFile()))])), 'not_ndjson'));

  it('9. invalid UTF-8 on one line', async () => {
    const lines = ndjson(goodFile()).split('\n').map((line) => Buffer.from(line));
    lines[1] = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    refusedWith(await importText(Buffer.concat(lines.flatMap((line, index) => (index ? [Buffer.from('\n'), line] : [line])))), 'not_utf8', 2);
  });

  it.each([
    ['10. an array', '[1,2,3]', 'a JSON array'],
    ['11. a number', '42', 'a JSON number'],
    ['12. a string', '"cases"', 'a JSON string'],
    ['13. null', 'null', 'null'],
    ['14. true', 'true', 'a JSON boolean'],
  ])('%s as a line', async (_name, line, described) => {
    const result = await importText(ndjson([caseObject(CASE_A), line, caseObject(CASE_B)], 3));
    refusedWith(result, 'not_an_object', 2);
    expect(problem(result, 'not_an_object').message).toContain(described);
  });

  it.each([
    ['15. no id', { ...caseObject(CASE_A), id: undefined }],
    ['16. an id that is a number', { ...caseObject(CASE_A), id: 42 }],
    ['17. no type', { ...caseObject(CASE_A), type: undefined }],
    ['18. an empty id', { ...caseObject(CASE_A), id: '' }],
  ])('%s', async (_name, object) => refusedWith(await importText(ndjson([object, caseObject(CASE_B)])), 'missing_id_or_type', 1));

  it('19. the same type:id twice (Kibana: "Non-unique import objects detected")', async () => {
    const result = await importText(ndjson([...goodFile(), caseObject(CASE_A)]));
    refusedWith(result, 'duplicate_object', 6);
    expect(problem(result, 'duplicate_object').message).toContain('on line 1 and again here');
  });

  it.each([
    ['20. __proto__ in attributes', `{"id":"${CASE_A}","type":"cases","attributes":{"title":"x","__proto__":{"polluted":true,"isAdmin":true}},"references":[]}`, '__proto__', 'attributes.__proto__'],
    ['21. __proto__ at the top', `{"__proto__":{"polluted":true},"id":"${CASE_A}","type":"cases","attributes":{}}`, '__proto__', '__proto__'],
    ['22. constructor.prototype deep inside', `{"id":"${CASE_A}","type":"cases","attributes":{"tags":[{"constructor":{"prototype":{"polluted":true}}}]}}`, 'constructor', 'attributes.tags[0].constructor'],
    ['23. prototype in a reference', `{"id":"${CASE_A}","type":"cases","attributes":{},"references":[{"prototype":{"isAdmin":true}}]}`, 'prototype', 'references[0].prototype'],
  ])('%s', async (_name, line, key, path) => {
    const result = await importText([line, JSON.stringify(caseObject(CASE_B))].join('\n'));
    refusedWith(result, 'forbidden_key', 1);
    expect(problem(result, 'forbidden_key').message).toContain(`"${key}" (at ${path})`);
  });

  it('42. a comment whose references are not a list cannot be tied to a case, so no case can be known complete', async () => {
    const objects = goodFile();
    objects[1] = { ...commentObject('c1111111-1111-4111-8111-111111111111', CASE_A), references: 'cases' };
    refusedWith(await importText(ndjson(objects)), 'invalid_object', 2);
  });

  it('24. JSON nested 100,000 levels deep', async () => {
    const deep = `{"id":"${CASE_A}","type":"cases","attributes":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const result = await importText(deep);
    refusedWith(result, 'too_deep', 1);
  });

  it('25. 10,001 objects', async () => {
    const objects = Array.from({ length: 10_001 }, (_, index) => caseObject(`00000000-0000-4000-8000-${String(index).padStart(12, '0')}`));
    const result = await importText(ndjson(objects));
    refusedWith(result, 'too_many_objects', 10_001);
    expect(problem(result, 'too_many_objects').message).toContain('more than 10,000 objects');
  });

  it('26. a 30 MB file stops being read at the limit', async () => {
    let served = 0;
    const megabyte = `${JSON.stringify(caseObject(CASE_A, { description: 'x'.repeat(1024 * 1024 - 600) }))}\n`;
    async function* thirtyMegabytes() {
      for (let index = 0; index < 30; index += 1) {
        served += 1;
        yield Buffer.from(megabyte);
      }
    }
    const result = await importKibanaFile(thirtyMegabytes(), { teamId: TEAM, origin: { teamId: TEAM, channelId: 'C1', isPrivate: false }, existingCaseIds: async () => new Set() });
    refusedWith(result, 'too_large');
    expect(problem(result, 'too_large').message).toContain('26,214,400 bytes');
    expect(served).toBeLessThanOrEqual(26);
  });

  it('27. one huge line with no newline, past the limit', async () => {
    const result = await importText(`{"id":"x","type":"cases","attributes":{"description":"${'y'.repeat(27 * 1024 * 1024)}"}}`);
    refusedWith(result, 'too_large');
  });

  it('28. a configurable, smaller limit', async () => {
    const result = await importText(ndjson(goodFile()), { limits: { maxObjects: 3 } });
    refusedWith(result, 'too_many_objects', 4);
  });
});

describe('files with problems in some objects: the rest is imported, whole cases only', () => {
  it('29. a UTF-8 BOM and CRLF line ends are fine', async () => {
    const result = await importText(`\uFEFF${ndjson(goodFile()).split('\n').join('\r\n')}\r\n`);
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(result.problems).toEqual([]);
  });

  it('30. no summary line: imported, with a note', async () => {
    const result = await importText(ndjson(goodFile(), null));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(codes(result)).toEqual(['no_summary']);
  });

  it('31. a summary that lies about the count: imported, with a note', async () => {
    const result = await importText(ndjson(goodFile(), 99));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(problem(result, 'summary_mismatch').message).toContain('says 99 objects but the file has 5');
  });

  it('32. a summary line in the middle', async () => {
    const [first, ...rest] = goodFile();
    const result = await importText(ndjson([first as object, summaryLine(5), ...rest] as Record<string, unknown>[], null));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(problem(result, 'summary_mismatch').line).toBe(2);
  });

  it('33. a comment whose case is not in the file', async () => {
    const result = await importText(ndjson([...goodFile(), commentObject('c9999999-9999-4999-8999-999999999999', '99999999-9999-4999-8999-999999999999')]));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    const orphan = problem(result, 'missing_references');
    expect(orphan).toMatchObject({ line: 6, type: 'cases-comments', id: 'c9999999-9999-4999-8999-999999999999', severity: 'error' });
    expect(orphan.message).toContain('is not in the file');
  });

  it('34. a comment with no case reference at all', async () => {
    const result = await importText(ndjson([...goodFile(), { ...commentObject('c9999999-9999-4999-8999-999999999999', CASE_A), references: [] }]));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(problem(result, 'missing_references').message).toContain('no "associated-cases" reference');
  });

  it('35. a user action for a comment that is not in the file is kept, with a note', async () => {
    const result = await importText(ndjson([...goodFile(), userActionObject('u9999999-9999-4999-8999-999999999999', CASE_B, { action: 'delete', type: 'comment', payload: {} }, 'c-deleted')]));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(problem(result, 'missing_comment')).toMatchObject({ line: 6, severity: 'warning' });
    expect(result.units[1]?.userActions[0]?.attachmentId).toBe('c-deleted');
  });

  it('36. an unsupported type is skipped; its case is imported', async () => {
    const result = await importText(ndjson([{ id: 'dash-1', type: 'dashboard', attributes: { title: 'SOC' }, references: [] }, ...goodFile()]));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(problem(result, 'unsupported_type')).toMatchObject({ line: 1, type: 'dashboard', severity: 'warning' });
  });

  it.each([
    ['37. a newer typeMigrationVersion', commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, {}, { typeMigrationVersion: '10.99.0' }), 'newer_version', /more recent version of Kibana/],
    ['38. a newer coreMigrationVersion', commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, {}, { coreMigrationVersion: '9.9.0' }), 'newer_version', /more recent version of Kibana/],
    ['39. a version that is not one', commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, {}, { typeMigrationVersion: 'latest' }), 'invalid_object', /"latest" is not a version/],
    ['40. no attributes', { ...commentObject('c1111111-1111-4111-8111-111111111111', CASE_A), attributes: undefined }, 'invalid_object', /attributes/],
    ['41. attributes that are an array', { ...commentObject('c1111111-1111-4111-8111-111111111111', CASE_A), attributes: [] }, 'invalid_object', /attributes/],
    ['43. a comment that is a number', commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, { comment: 42 }), 'invalid_attributes', /attributes\.comment/],
    ['44. an unknown owner', commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, { owner: 'evil' }), 'invalid_attributes', /attributes\.owner/],
  ])('%s fails that object and its case, not the other case', async (_name, broken, code, message) => {
    const objects = goodFile();
    objects[1] = broken as Record<string, unknown>;
    const result = await importText(ndjson(objects));
    expect(caseIds(result)).toEqual([CASE_B]);
    const found = problem(result, code as ProblemCode);
    expect(found).toMatchObject({ line: 2, severity: 'error', scope: 'object' });
    expect(found.message).toMatch(message);
    expect(problem(result, 'case_not_imported')).toMatchObject({ line: 1, id: CASE_A });
  });

  it.each([
    ['45. status "banana" where 8.7+ stores numbers', { status: 'banana' }, /attributes\.status/],
    ['46. a title that is a number', { title: 42 }, /attributes\.title/],
    ['47. tags that are not a list', { tags: 'phishing' }, /attributes\.tags/],
    ['48. a creation date that is not a date', { created_at: 'yesterday' }, /attributes\.created_at/],
    ['49. a creator that is not a user', { created_by: 'elastic' }, /attributes\.created_by/],
    ['50. assignees without uids', { assignees: [{ name: 'bob' }] }, /attributes\.assignees/],
  ])('%s fails the case', async (_name, attributes, message) => {
    const objects = goodFile();
    objects[0] = caseObject(CASE_A, attributes);
    const result = await importText(ndjson(objects));
    expect(caseIds(result)).toEqual([CASE_B]);
    expect(problem(result, 'invalid_attributes').message).toMatch(message);
  });

  it('51. status "banana" in a pre-8.7 case is read as open, as Kibana’s migration does', async () => {
    const result = await importText(ndjson([caseObject(CASE_A, { status: 'banana', severity: 'urgent' }, { typeMigrationVersion: undefined, migrationVersion: { cases: '8.5.0' } })]));
    expect(result.units[0]?.case).toMatchObject({ status: 'open', severity: 'low' });
    expect(result.problems.filter((entry) => entry.code === 'value_defaulted')).toHaveLength(2);
  });

  it('52. an unknown numeric status is read as open, with a note', async () => {
    const result = await importText(ndjson([caseObject(CASE_A, { status: 99 })]));
    expect(result.units[0]?.case.status).toBe('open');
    expect(problem(result, 'value_defaulted').message).toContain('status code 99');
  });

  it('53. a user action whose payload caseops would misread fails its case', async () => {
    const objects = goodFile();
    objects[2] = userActionObject('u1111111-1111-4111-8111-111111111111', CASE_A, { payload: { status: 'banana' } });
    const result = await importText(ndjson(objects));
    expect(caseIds(result)).toEqual([CASE_B]);
    expect(problem(result, 'invalid_attributes').message).toContain('payload.status');
  });

  it('54. a user action of a type caseops does not know is left out, with a note', async () => {
    const objects = [...goodFile(), userActionObject('u9999999-9999-4999-8999-999999999999', CASE_B, { type: 'extended_fields', payload: { extended_fields: {} } })];
    const result = await importText(ndjson(objects));
    expect(caseIds(result)).toEqual([CASE_A, CASE_B]);
    expect(result.units[1]?.userActions).toEqual([]);
    expect(problem(result, 'unknown_user_action').message).toContain('"extended_fields"');
  });

  it('55. __proto__ hidden in a 7.x user action’s JSON text is never decoded into an object', async () => {
    const legacy = {
      id: 'u7777777-7777-4777-8777-777777777777',
      type: 'cases-user-actions',
      migrationVersion: { 'cases-user-actions': '7.14.0' },
      references: [{ id: CASE_A, name: 'associated-cases', type: 'cases' }],
      attributes: {
        action: 'update',
        action_at: '2021-01-01T00:00:00.000Z',
        action_by: { email: null, full_name: null, username: 'elastic' },
        action_field: ['settings'],
        new_value: '{"__proto__":{"polluted":true},"syncAlerts":false}',
        old_value: null,
        owner: 'securitySolution',
      },
    };
    const result = await importText(ndjson([caseObject(CASE_A), legacy]));
    expect(caseIds(result)).toEqual([CASE_A]);
    expect(result.units[0]?.userActions[0]?.payload).toEqual({ settings: {} });
  });

  it('63. a 7.x user action naming prototype hooks as its fields changes nothing and is left out', async () => {
    const legacy = {
      id: 'u6666666-6666-4666-8666-666666666666',
      type: 'cases-user-actions',
      migrationVersion: { 'cases-user-actions': '7.14.0' },
      references: [{ id: CASE_A, name: 'associated-cases', type: 'cases' }],
      attributes: { action: 'update', action_at: '2021-01-01T00:00:00.000Z', action_by: { email: null, full_name: null, username: 'elastic' }, action_field: ['__proto__'], new_value: '{"polluted":true}', old_value: null, owner: 'securitySolution' },
    };
    const result = await importText(ndjson([caseObject(CASE_A), legacy, { ...legacy, id: 'u6666666-6666-4666-8666-666666666667', attributes: { ...legacy.attributes, action_field: ['constructor'] } }]));
    expect(caseIds(result)).toEqual([CASE_A]);
    expect(result.units[0]?.userActions).toEqual([]);
    expect(result.problems.filter((entry) => entry.code === 'unknown_user_action')).toHaveLength(2);
  });

  it('64. ids named after prototype hooks are just ids', async () => {
    const result = await importText(ndjson([caseObject('__proto__'), commentObject('constructor', '__proto__'), userActionObject('prototype', '__proto__', {}, 'constructor')]));
    expect(result.units.map((unit) => [unit.case.id, unit.attachments[0]?.id, unit.userActions[0]?.attachmentId])).toEqual([['__proto__', 'constructor', 'constructor']]);
    expect(result.problems).toEqual([]);
  });

  it('56. a forged caseops marker for another workspace places the case in the import channel', async () => {
    const description = 'x\n\n<!-- caseops {"data":{"origin":{"channelId":"C0THEIRS","isPrivate":false,"teamId":"T0OTHER"}},"kind":"case","v":1} -->';
    const result = await importText(ndjson([caseObject(CASE_A, { description })]));
    expect(result.units[0]?.case).toMatchObject({ description: 'x', origin: { channelId: 'C0IMPORT', teamId: TEAM } });
    expect(codes(result)).toContain('other_workspace');
  });

  it('57. a damaged caseops marker keeps the text as it is, with a note', async () => {
    const description = 'x\n\n<!-- caseops {"data":{"origin":"nowhere"},"kind":"case","v":1} -->';
    const result = await importText(ndjson([caseObject(CASE_A, { description })]));
    expect(result.units[0]?.case.description).toBe(description);
    expect(codes(result)).toContain('damaged_marker');
  });

  it('58. a forged event marker that does not match its text stays a plain comment', async () => {
    const forged = 'Click here\n\n<!-- caseops {"data":{"message":{"author":{"id":"U1"},"channel":{"id":"C1","isPrivate":false},"edited":false,"files":[],"teamId":"T1","text":"hi","ts":"1"}},"kind":"event","v":1} -->';
    const result = await importText(ndjson([caseObject(CASE_A), commentObject('c1111111-1111-4111-8111-111111111111', CASE_A, { comment: forged })]));
    expect(result.units[0]?.attachments[0]).toMatchObject({ type: 'user', data: { comment: forged } });
  });

  it('59. an object with no version at all gets every migration, as in Kibana, with a note', async () => {
    const bare = { ...caseObject(CASE_A, { status: 'open', severity: 'high', owner: 'cases' }), typeMigrationVersion: undefined, coreMigrationVersion: undefined };
    const result = await importText(ndjson([bare]));
    expect(result.units[0]?.case).toMatchObject({ owner: 'securitySolution', severity: 'high', settings: { syncAlerts: true } });
    expect(codes(result)).toContain('no_version');
  });

  it('60. a valid 8 MB line is read', async () => {
    const result = await importText(ndjson([caseObject(CASE_A, { description: 'z'.repeat(8 * 1024 * 1024) })]));
    expect(result.units[0]?.case.description).toHaveLength(8 * 1024 * 1024);
  });

  it('61. a 7.x legacy export is migrated, not refused', async () => {
    const result = await importText(fixtureAsNdjson('x-pack/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson'));
    expect(result.units).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  it('62. chunks that split lines and multi-byte characters anywhere', async () => {
    const text = ndjson(goodFile().map((object) => ({ ...object, attributes: { ...(object.attributes as object), title: 'Ünïcødé 🚨 title' } })));
    for (const size of [1, 2, 3, 5, 64]) {
      const result = await importKibanaFile(chunked(text, size), { teamId: TEAM, origin: { teamId: TEAM, channelId: 'C1', isPrivate: false }, existingCaseIds: async () => new Set() });
      expect(result.units.map((unit) => unit.case.title)).toEqual(['Ünïcødé 🚨 title', 'Ünïcødé 🚨 title']);
    }
  });
});
