import { type CaseExportInput } from '../../src/kibana/export/case-objects';
import { exportLines } from '../../src/kibana/export/export-stream';
import { ndjsonChunks, orderLikeKibana } from '../../src/kibana/export/ndjson';
import { KIBANA_TARGETS, TARGET_PROFILES } from '../../src/kibana/export/versions';
import type { SavedObject } from '../../src/kibana/saved-objects';
import { stableStringify } from '../../src/kibana/stable-json';
import { exportText, fixtureAsNdjson, fixtureFiles, importText, parseLines, unitsAsExportInput } from './support/files';
import { CASE_ID, richAttachments, richCase, richExportInput, richUserActions } from './support/rich-case';

/** Keys in sorted order at every level of a parsed line (JSON.parse keeps the text's key order). */
function assertSortedKeys(value: unknown, path = '$'): void {
  if (Array.isArray(value)) value.forEach((item, index) => assertSortedKeys(item, `${path}[${index}]`));
  else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    expect({ path, keys }).toEqual({ path, keys: [...keys].sort() });
    for (const key of keys) assertSortedKeys((value as Record<string, unknown>)[key], `${path}.${key}`);
  }
}

describe('the ndjson Kibana writes', () => {
  it('has sorted keys at every level, one object per line, the summary last and no trailing newline', async () => {
    const text = await exportText([richExportInput()], { target: '9.2' });
    expect(text.endsWith('\n')).toBe(false);
    expect(text).not.toContain('\r');
    const lines = text.split('\n');
    for (const line of lines) {
      const parsed = JSON.parse(line) as unknown;
      assertSortedKeys(parsed);
      expect(stableStringify(parsed)).toBe(line);
    }
    expect(JSON.parse(lines[lines.length - 1] as string)).toEqual({ excludedObjects: [], excludedObjectsCount: 0, exportedCount: lines.length - 1, missingRefCount: 0, missingReferences: [] });
    expect(lines[lines.length - 1]).toBe(`{"excludedObjects":[],"excludedObjectsCount":0,"exportedCount":${lines.length - 1},"missingRefCount":0,"missingReferences":[]}`);
  });

  // Lines are written by JSON.stringify as the conversion built them (key-order.ts): these say it built them in order.
  it.each(KIBANA_TARGETS)('writes every line as stableStringify would, for Kibana %s, imported objects with kept attributes included', async (target) => {
    const texts = [await exportText([richExportInput()], { target })];
    for (const file of fixtureFiles().filter((name) => !name.endsWith('.yaml'))) {
      texts.push(await exportText(unitsAsExportInput(await importText(fixtureAsNdjson(file))), { target }));
    }
    for (const line of texts.flatMap((text) => text.split('\n'))) expect(stableStringify(JSON.parse(line))).toBe(line);
  });

  it('writes a case with data JSON.stringify cannot order (keys made of digits, an own __proto__) sorted all the same', async () => {
    const [added, ...rest] = richUserActions();
    const payload = { ...JSON.parse('{"__proto__":{"b":1,"a":2}}'), title: 'x', 10: 'ten', 2: 'two' };
    const text = await exportText([{ case: richCase(), attachments: richAttachments(), userActions: [added!, { ...rest[0]!, type: 'title', payload }] }]);
    const lines = text.split('\n');
    for (const line of lines) expect(stableStringify(JSON.parse(line))).toBe(line);
    expect(lines.some((line) => line.includes('"payload":{"10":"ten","2":"two","__proto__":{"a":2,"b":1},"title":"x"}'))).toBe(true);
  });

  it('gives every comment and user action its associated-cases reference, and comment actions their comment', async () => {
    const objects = parseLines(await exportText([richExportInput()])).slice(0, -1) as unknown as SavedObject[];
    const commentIds = new Set(objects.filter((object) => object.type === 'cases-comments').map((object) => object.id));
    for (const object of objects.filter((candidate) => candidate.type !== 'cases')) {
      expect(object.references[0]).toEqual({ id: CASE_ID, name: 'associated-cases', type: 'cases' });
    }
    for (const action of objects.filter((object) => object.type === 'cases-user-actions' && object.attributes.type === 'comment')) {
      const comment = action.references.find((reference) => reference.name === 'associated-cases-comments');
      expect(commentIds.has(comment?.id ?? '')).toBe(true);
    }
  });

  it('counts user comments and alerts into the case totals', async () => {
    const [theCase] = parseLines(await exportText([richExportInput()], { target: '8.11' })) as any[];
    // user, 2 events as quotes, 2 timelines, 1 chart, 1 unsupported event described as a comment
    expect(theCase.attributes).toMatchObject({ total_comments: 7, total_alerts: 1 });
  });

  describe.each(KIBANA_TARGETS)('the envelope for Kibana %s', (target) => {
    const profile = TARGET_PROFILES[target];
    it('declares the versions and fields of the table', async () => {
      const objects = parseLines(await exportText([richExportInput()], { target })).slice(0, -1) as any[];
      for (const object of objects) {
        const declared = object.type === 'cases-comments' && object.attributes.type === 'persistableState' ? '8.9.0' : profile.declaredVersions[object.type as 'cases'];
        const expectedVersion = object.id === 'a0000001-0000-4000-8000-00000000000b' && profile.eventAttachments ? '10.1.0' : declared;
        if (profile.versionField === 'typeMigrationVersion') {
          expect(object.typeMigrationVersion).toBe(expectedVersion);
          expect(object).not.toHaveProperty('migrationVersion');
        } else {
          expect(object.migrationVersion).toEqual({ [object.type]: expectedVersion });
          expect(object).not.toHaveProperty('typeMigrationVersion');
        }
        expect(object.coreMigrationVersion).toBe(profile.coreMigrationVersion);
        expect('managed' in object).toBe(profile.writesManaged);
        expect('created_at' in object).toBe(profile.writesCreatedAt);
        expect(object).not.toHaveProperty('version');
        expect(object).not.toHaveProperty('namespaces');
      }
    });
  });

  it('writes numeric status and severity, Kibana users and the none connector', async () => {
    const [theCase] = parseLines(await exportText([richExportInput()])) as any[];
    expect(theCase.attributes).toMatchObject({
      status: 10,
      severity: 20,
      connector: { fields: null, name: 'none', type: '.none' },
      external_service: null,
      owner: 'securitySolution',
      settings: { syncAlerts: false },
      updated_by: { username: 'slack:T0CASEOPS:U0BOB', full_name: null, email: null },
      closed_by: null,
      duration: null,
    });
  });

  it('leaves out case attributes the target Kibana does not have, and says so', async () => {
    const input = richExportInput();
    const withKibanaFields: CaseExportInput = { ...input, case: { ...input.case, kibana: { attributes: { customFields: [{ key: 'k', type: 'text', value: 'v' }], category: 'Phishing' } } } };
    const warnings: string[] = [];
    const [old] = parseLines(await exportText([withKibanaFields], { target: '8.8', onWarning: (warning) => warnings.push(warning.message) })) as any[];
    expect(old.attributes).not.toHaveProperty('customFields');
    expect(old.attributes).not.toHaveProperty('category');
    expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('"customFields"'), expect.stringContaining('"category"')]));
    const [recent] = parseLines(await exportText([withKibanaFields], { target: '8.11' })) as any[];
    expect(recent.attributes).toMatchObject({ customFields: [{ key: 'k', type: 'text', value: 'v' }], category: 'Phishing' });
  });
});

describe('warnings about what the target Kibana may not take', () => {
  it('names attachments stored by a newer Kibana, and event attachments a target cannot show', async () => {
    const warnings: string[] = [];
    await exportText([richExportInput()], { target: '8.8', onWarning: (warning) => warnings.push(`${warning.objectId}: ${warning.message}`) });
    expect(warnings).toEqual([
      'a0000001-0000-4000-8000-00000000000a: this persistableState attachment was stored by a newer Kibana (8.9.0); Kibana 8.8 may refuse it',
      'a0000001-0000-4000-8000-00000000000b: Kibana 8.8 has no event attachments; this one is exported as a comment describing it',
    ]);
    const none: string[] = [];
    await exportText([richExportInput()], { target: '9.2', onWarning: (warning) => none.push(warning.message) });
    expect(none).toEqual([]);
  });

  it('skips an attachment whose data is invalid, and says so', async () => {
    const [comment] = richAttachments();
    const warnings: string[] = [];
    const broken: CaseExportInput = { ...richExportInput(), attachments: comment ? [{ ...comment, type: 'alert', data: { alertId: 7 } }] : [] };
    const lines = parseLines(await exportText([broken], { onWarning: (warning) => warnings.push(warning.message) }));
    expect(lines.filter((line) => line.type === 'cases-comments')).toEqual([]);
    expect(warnings).toContain('the alert attachment has invalid data and was not exported');
  });
});

describe('Kibana’s object order', () => {
  const object = (type: string, id: string, references: SavedObject['references'] = []): SavedObject => ({ type, id, attributes: {}, references });

  it('sorts by id, then puts whatever an object references before it', () => {
    const theCase = object('cases', 'm-case');
    const action = object('cases-user-actions', 'a-action', [
      { id: 'm-case', name: 'associated-cases', type: 'cases' },
      { id: 'z-comment', name: 'associated-cases-comments', type: 'cases-comments' },
    ]);
    const comment = object('cases-comments', 'z-comment', [{ id: 'm-case', name: 'associated-cases', type: 'cases' }]);
    const later = object('cases-user-actions', 'n-action', [{ id: 'm-case', name: 'associated-cases', type: 'cases' }]);
    const outside = object('cases', 'b-case', [{ id: 'connector', name: 'connectorId', type: 'action' }]);
    expect(orderLikeKibana([later, comment, action, theCase, outside]).map((entry) => entry.id)).toEqual(['m-case', 'z-comment', 'a-action', 'b-case', 'n-action']);
  });

  it('puts the case first in a real export even when a user action sorts before it', async () => {
    const [create] = richUserActions();
    const early: CaseExportInput = { ...richExportInput(), userActions: create ? [{ ...create, id: '00000000-0000-4000-8000-000000000000' }] : [] };
    const ids = parseLines(await exportText([early])).map((line) => line.id);
    expect(ids.slice(0, 2)).toEqual([CASE_ID, '00000000-0000-4000-8000-000000000000']);
  });
});

describe('streaming', () => {
  it('reads one case ahead of what it writes, and reports progress per case', async () => {
    let pulled = 0;
    async function* cases(): AsyncGenerator<CaseExportInput> {
      for (let index = 0; index < 1000; index += 1) {
        pulled += 1;
        yield { case: { ...richCase(), id: `case-${index}` }, attachments: [], userActions: [] };
      }
    }
    const progress: number[] = [];
    const lines = exportLines(cases(), { onProgress: (written) => progress.push(written) });
    await lines.next();
    expect(pulled).toBe(1);
    await lines.next();
    expect(pulled).toBe(2);
    await lines.return(undefined);
    expect(progress).toEqual([1]);
  });

  it('joins lines into chunks with no trailing newline', async () => {
    async function* lines() {
      yield 'a';
      yield 'b';
      yield 'c';
    }
    const chunks: string[] = [];
    for await (const chunk of ndjsonChunks(lines(), 2)) chunks.push(chunk);
    expect(chunks.join('')).toBe('a\nb\nc');
    expect(chunks.length).toBeGreaterThan(1);
  });
});

describe('a comment action and its attachment', () => {
  const commentOf = (objects: Record<string, unknown>[], id: string) => (objects.find((object) => object.id === id)?.attributes as Record<string, any>);

  it('an action that recorded the attachment as it is exports the same Kibana comment as the attachment', async () => {
    const objects = parseLines(await exportText([richExportInput()]));
    const event = richAttachments()[1]!;
    const { type, comment } = commentOf(objects, event.id);
    expect(commentOf(objects, 'b0000001-0000-4000-8000-000000000007').payload.comment).toEqual({ type, comment, owner: 'securitySolution' });
  });

  it('an action that recorded other data (the message before an edit) is converted from its own data', async () => {
    const input = richExportInput();
    const actions = richUserActions();
    const recorded = actions.find((action) => action.id === 'b0000001-0000-4000-8000-000000000007')!;
    const data = (recorded.payload.comment as { data: { message: { text: string } } }).data;
    recorded.payload = { comment: { type: 'event', data: { ...data, message: { ...data.message, text: 'the first version' } }, owner: 'securitySolution' } };
    const objects = parseLines(await exportText([{ ...input, userActions: actions }]));
    expect(commentOf(objects, recorded.id).payload.comment.comment).toContain('the first version');
    expect(commentOf(objects, richAttachments()[1]!.id).comment).not.toContain('the first version');
  });
});

describe('stableStringify', () => {
  it('sorts keys at every level like json-stable-stringify and follows JSON.stringify otherwise', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'é"\n' } })).toBe('{"a":{"c":"é\\"\\n","d":[3,{"x":null,"z":1}]},"b":1}');
    expect(stableStringify([undefined, NaN, () => 1])).toBe('[null,null,null]');
    expect(stableStringify({ when: new Date('2026-01-01T00:00:00Z') })).toBe('{"when":"2026-01-01T00:00:00.000Z"}');
    expect(stableStringify({ b: [], a: {} }, '  ')).toBe('{\n  "a": {},\n  "b": []\n}');
  });

  it('sorts keys JavaScript enumerates in another order: array indices, and an own __proto__ from a file', () => {
    // JSON.stringify would write "2" before "10" (indices first, in numeric order); json-stable-stringify sorts them as text.
    expect(stableStringify({ b: 1, 10: 'ten', 2: 'two', a: { 1: true, 0: false } })).toBe('{"10":"ten","2":"two","a":{"0":false,"1":true},"b":1}');
    expect(stableStringify(JSON.parse('{"z":1,"__proto__":{"y":2,"x":1}}'))).toBe('{"__proto__":{"x":1,"y":2},"z":1}');
  });

  it('sorts keys that only start with a digit (ids) among the others, and digit-only ones with leading zeros', () => {
    expect(stableStringify({ b: 1, '9e0c-4a': 'uuid', '10x': 'ten', a: { '01': 1, '1': 0 } })).toBe('{"10x":"ten","9e0c-4a":"uuid","a":{"01":1,"1":0},"b":1}');
  });

  it('writes what is not a plain object as its members, as before: boxed values, maps; a bigint is left out', () => {
    expect(stableStringify({ n: new Number(5), s: new String('ab'), m: new Map([['k', 1]]) })).toBe('{"m":{},"n":{},"s":{"0":"a","1":"b"}}');
    expect(stableStringify({ b: 1n, a: [2n] })).toBe('{"a":[null]}');
  });

  it('leaves the objects it writes as they were', () => {
    const value = { b: { d: 1, c: [{ f: 1, e: 2 }] }, a: 'x' };
    const before = JSON.stringify(value);
    expect(stableStringify(value)).toBe('{"a":"x","b":{"c":[{"e":2,"f":1}],"d":1}}');
    expect(JSON.stringify(value)).toBe(before);
  });
});
