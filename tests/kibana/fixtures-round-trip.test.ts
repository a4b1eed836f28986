import { readCaseDescription } from '../../src/kibana/case-marker';
import { KIBANA_TARGETS, TARGET_PROFILES } from '../../src/kibana/export/versions';
import {
  exportText,
  fixtureAsNdjson,
  fixtureFiles,
  fixtureObjects,
  IMPORT_CHANNEL,
  importText,
  parseLines,
  unitsAsExportInput,
} from './support/files';

/**
 * Every real Kibana export and archive in the fixtures: imported, then exported again, must give the same
 * objects — same ids, same references, attributes in the shape Kibana's own migrations give them at the
 * declared version — and exporting what that export imports must change nothing.
 */
type SavedObjectLine = { id: string; type: string; attributes: Record<string, any>; references: { id: string; name: string; type: string }[] } & Record<string, unknown>;

const CASES_TYPES = ['cases', 'cases-comments', 'cases-user-actions'];
const PLATFORM_81 = 'x-pack/platform/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson';
const EXPORT_716 = 'x-pack/test/cases_api_integration/common/fixtures/saved_object_exports/single_case_user_actions_one_comment.ndjson';
const ARCHIVE_7132 = 'x-pack/test/functional/fixtures/kbn_archiver/cases/7.13.2/case_and_collection.json';
const ARCHIVE_7175 = 'x-pack/test/functional/fixtures/kbn_archiver/cases/7.17.5/case.json';
const ARCHIVE_810 = 'x-pack/test/functional/fixtures/kbn_archiver/cases/8.1.0/status_changes.json';
const ARCHIVE_850 = 'x-pack/test/functional/fixtures/kbn_archiver/cases/8.5.0/cases_severity.json';
const DESCRIBED = [PLATFORM_81, EXPORT_716, ARCHIVE_7132, ARCHIVE_7175, ARCHIVE_810, ARCHIVE_850];

const caseRef = (id: string) => ({ id, name: 'associated-cases', type: 'cases' });
const commentRef = (id: string) => ({ id, name: 'associated-cases-comments', type: 'cases-comments' });
const elastic = { email: null, full_name: null, username: 'elastic' };

async function roundTrip(file: string, target = TARGET_PROFILES['8.11'].target) {
  const imported = await importText(fixtureAsNdjson(file));
  const exported = await exportText(unitsAsExportInput(imported), { target });
  const lines = parseLines(exported);
  const objects = lines.slice(0, -1) as SavedObjectLine[];
  const byId = (id: string): SavedObjectLine => {
    const found = objects.find((object) => object.id === id);
    if (!found) throw new Error(`${id} was not exported`);
    return found;
  };
  return { imported, exported, objects, summary: lines[lines.length - 1], byId };
}

describe('every Kibana fixture round-trips through caseops', () => {
  it('has an explicit expectation below for every fixture file', () => {
    expect(fixtureFiles().filter((file) => !file.endsWith('.yaml'))).toEqual([...DESCRIBED].sort());
  });

  describe.each(DESCRIBED)('%s', (file) => {
    it('imports without errors and exports exactly the cases objects it holds, with the same ids', async () => {
      const { imported, objects, summary } = await roundTrip(file);
      expect(imported.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      const expected = fixtureObjects(file).filter((object) => CASES_TYPES.includes(String(object.type)));
      expect(objects.map((object) => `${object.type}:${object.id}`).sort()).toEqual(expected.map((object) => `${object.type}:${object.id}`).sort());
      expect(summary).toEqual({ excludedObjects: [], excludedObjectsCount: 0, exportedCount: objects.length, missingRefCount: 0, missingReferences: [] });
    });

    it('keeps every reference, less only those Kibana migrations drop', async () => {
      const { byId } = await roundTrip(file);
      for (const original of fixtureObjects(file).filter((object) => CASES_TYPES.includes(String(object.type)))) {
        const kept = (original.references as { name: string }[]).filter((reference) => reference.name !== 'oldConnectorId');
        const exported = byId(String(original.id));
        if (original.type === 'cases' && (original.attributes as any).connector?.id) continue; // pre-7.15: ids moved to references, checked below
        expect(exported.references).toEqual(kept);
      }
    });

    it('keeps the description and adds only caseops’ marker (invisible in Kibana) with the import channel', async () => {
      const { objects } = await roundTrip(file);
      for (const original of fixtureObjects(file).filter((object) => object.type === 'cases')) {
        const exported = objects.find((object) => object.id === original.id);
        const read = readCaseDescription(exported?.attributes.description);
        expect(read.description).toBe((original.attributes as any).description);
        expect(read.data?.origin).toEqual(IMPORT_CHANNEL);
      }
    });

    it.each(KIBANA_TARGETS)('exports what its own export imports unchanged, byte for byte (target %s)', async (target) => {
      const first = await roundTrip(file, target);
      const again = await importText(first.exported);
      expect(await exportText(unitsAsExportInput(again), { target })).toBe(first.exported);
    });
  });
});

describe('migrated shapes, as Kibana migrates them', () => {
  it('8.1 export: numeric status and severity, no case type, severity and assignees added to create_case, associationType gone, Kibana’s order', async () => {
    const { byId, objects } = await roundTrip(PLATFORM_81);
    const theCase = byId('156cd450-5ce6-11ec-a615-15461784e410');
    expect(theCase).toMatchObject({ type: 'cases', typeMigrationVersion: '10.1.0', coreMigrationVersion: '8.8.0', managed: false });
    expect(theCase.attributes).toMatchObject({
      status: 0,
      severity: 0,
      duration: null,
      assignees: [],
      connector: { fields: [], name: 'none', type: '.none' },
      external_service: null,
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      tags: ['some tags'],
      title: 'A case to export',
      created_by: { email: '', full_name: '', username: 'cnasikas' },
      total_alerts: -1,
      total_comments: -1,
    });
    expect(theCase.attributes).not.toHaveProperty('type');
    const create = byId('15ca0f80-5ce6-11ec-a615-15461784e410');
    expect(create).toMatchObject({ typeMigrationVersion: '8.5.0', attributes: { type: 'create_case', action: 'create' } });
    expect(create.attributes.payload).toEqual({
      connector: { fields: null, name: 'none', type: '.none' },
      description: 'a description',
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      status: 'open',
      tags: ['some tags'],
      title: 'A case to export',
      type: 'individual',
      severity: 'low',
      assignees: [],
    });
    const comment = byId('1c8e6410-5ce6-11ec-a615-15461784e410');
    expect(comment).toMatchObject({ typeMigrationVersion: '8.1.0', attributes: { type: 'user', comment: 'A comment for my case', pushed_at: null } });
    expect(comment.attributes).not.toHaveProperty('associationType');
    expect(byId('1cff9c70-5ce6-11ec-a615-15461784e410').references).toEqual([caseRef(theCase.id), commentRef(comment.id)]);
    expect(objects.map((object) => object.id)).toEqual(fixtureObjects(PLATFORM_81).map((object) => object.id));
  });

  it('7.15/7.16 export: 7.x user actions become type/payload, in Kibana’s order', async () => {
    const { byId, objects } = await roundTrip(EXPORT_716);
    const create = byId('8cb85070-06a6-11ec-b3f9-3d05c48a7d46');
    expect(create.attributes).toEqual({
      action: 'create',
      type: 'create_case',
      created_at: '2021-08-26T19:48:01.292Z',
      created_by: elastic,
      owner: 'securitySolution',
      payload: {
        connector: { fields: null, name: 'none', type: '.none' },
        description: 'a description',
        owner: 'securitySolution',
        settings: { syncAlerts: true },
        status: 'open',
        tags: ['some tags'],
        title: 'A case to export',
        severity: 'low',
        assignees: [],
      },
    });
    const comment = byId('9710c840-06a6-11ec-b3f9-3d05c48a7d46');
    expect(comment.attributes).toMatchObject({ action: 'create', type: 'comment', payload: { comment: { comment: 'A comment for my case', type: 'user', owner: 'securitySolution' } } });
    expect(byId('85541260-06a6-11ec-b3f9-3d05c48a7d46').attributes).toMatchObject({ status: 0, severity: 0, created_by: elastic });
    expect(objects.map((object) => object.id)).toEqual(fixtureObjects(EXPORT_716).map((object) => object.id));
  });

  it('7.13.2 archive: connector ids move to references, owner is set, the collection type is dropped, duration computed', async () => {
    const { byId, imported } = await roundTrip(ARCHIVE_7132);
    const jira = 'd68508f0-cf9d-11eb-a603-13e7747d215c';
    for (const id of ['e49ad6e0-cf9d-11eb-a603-13e7747d215c', 'e49ad6e0-cf9d-11eb-a603-13e7747d215z']) {
      const theCase = byId(id);
      expect(theCase.references).toEqual([
        { id: jira, name: 'connectorId', type: 'action' },
        { id: jira, name: 'pushConnectorId', type: 'action' },
      ]);
      expect(theCase.attributes.connector).toEqual({
        fields: [
          { key: 'issueType', value: '10002' },
          { key: 'parent', value: null },
          { key: 'priority', value: null },
        ],
        name: 'Test Jira',
        type: '.jira',
      });
      expect(theCase.attributes.external_service).not.toHaveProperty('connector_id');
      expect(theCase.attributes.external_service).toMatchObject({ external_id: '10106', external_title: 'TPN-99' });
      expect(theCase.attributes).toMatchObject({ owner: 'securitySolution', status: 0, severity: 0, assignees: [], created_by: { email: null, full_name: 'j@j.com', username: '711621466' } });
      expect(theCase.attributes).not.toHaveProperty('type');
    }
    expect(byId('e49ad6e0-cf9d-11eb-a603-13e7747d215c').attributes.duration).toBeNull();
    expect(byId('e49ad6e0-cf9d-11eb-a603-13e7747d215z').attributes.duration).toBe(1);
    expect(imported.problems.map((problem) => problem.code)).toEqual(['no_summary']);
  });

  it('7.17.5 archive: connectors and data views skipped, Lens references kept, old connector references dropped, 7.x actions converted', async () => {
    const { byId, imported } = await roundTrip(ARCHIVE_7175);
    expect(imported.problems.filter((problem) => problem.code === 'unsupported_type').map((problem) => problem.type)).toEqual(['action', 'index-pattern']);
    const caseId = 'e26361b0-09c3-11ed-9088-a95ba44d7455';
    const jira = '92b970e0-09c4-11ed-9088-a95ba44d7455';
    const theCase = byId(caseId);
    expect(theCase.attributes).toMatchObject({ owner: 'cases', status: 0, severity: 0, connector: { name: 'Jira', type: '.jira' } });
    expect(theCase.attributes.external_service).toMatchObject({ external_id: '71891', pushed_at: '2022-07-22T13:46:32.245Z' });
    const lens = byId('61b2ef30-09c4-11ed-9088-a95ba44d7455');
    expect(lens.references.map((reference) => reference.type)).toEqual(['cases', 'index-pattern', 'index-pattern']);
    expect(lens.attributes.comment).toContain('!{lens{');
    expect(lens.attributes).toMatchObject({ pushed_at: '2022-07-22T13:46:02.727Z', pushed_by: elastic });
    const connectorChange = byId('af80b080-09c4-11ed-9088-a95ba44d7455');
    expect(connectorChange.references).toEqual([caseRef(caseId), { id: jira, name: 'connectorId', type: 'action' }]);
    expect(connectorChange.attributes).toMatchObject({
      action: 'update',
      type: 'connector',
      payload: { connector: { name: 'Jira', type: '.jira', fields: { issueType: '10024', parent: null, priority: 'Low' } } },
    });
    expect(byId('a060c590-09c4-11ed-9088-a95ba44d7455').attributes).toMatchObject({
      action: 'push_to_service',
      type: 'pushed',
      payload: { externalService: { connector_name: 'Jira', external_id: '71891', pushed_by: { username: '2450600727' } } },
    });
    expect(byId('f5e658a0-09c3-11ed-9088-a95ba44d7455').attributes).toMatchObject({ action: 'add', type: 'tags', payload: { tags: ['kibana'] } });
    expect(byId('f5e658a1-09c3-11ed-9088-a95ba44d7455').attributes).toMatchObject({ action: 'delete', type: 'tags', payload: { tags: ['cases'] } });
    expect(byId('7c1eb2a0-09c4-11ed-9088-a95ba44d7455').attributes.payload).toEqual({ settings: { syncAlerts: false } });
    expect(byId('728a9c40-09c4-11ed-9088-a95ba44d7455').attributes.payload).toEqual({
      comment: { comment: 'This is interesting. I am curious also.', type: 'user', owner: 'cases' },
    });
    expect(byId('e30aec50-09c3-11ed-9088-a95ba44d7455').attributes.payload).toEqual({
      connector: { name: 'none', type: '.none', fields: null },
      description: 'Testing upgrade',
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      status: 'open',
      tags: ['upgrade', 'test', 'cases'],
      title: 'Upgrade test',
      severity: 'low',
      assignees: [],
    });
    for (const object of [lens, connectorChange]) {
      expect(Object.keys(object.attributes)).not.toEqual(expect.arrayContaining(['associationType', 'action_field', 'new_value', 'old_value', 'action_at', 'action_by']));
    }
  });

  it('8.1.0 archive: status actions unchanged, the case migrated', async () => {
    const { byId, objects } = await roundTrip(ARCHIVE_810);
    expect(objects.filter((object) => object.type === 'cases-user-actions' && object.attributes.type === 'status').map((object) => object.attributes.payload.status)).toEqual([
      'in-progress',
      'closed',
      'open',
      'closed',
      'open',
      'closed',
    ]);
    expect(byId('0215ff30-6e39-11ec-8e5f-bf82b2955cf8').attributes).toMatchObject({ status: 0, severity: 0, duration: null, assignees: [], tags: [] });
  });

  it('8.5.0 archive: string severities become 0/10/20/30 and the Kibana-only assignee survives', async () => {
    const { byId, imported } = await roundTrip(ARCHIVE_850);
    const ids = ['063d5820-1284-11ed-81af-63a2bdfb2bf6', '063d5820-1284-11ed-81af-63a2bdfb2bf7', '063d5820-1284-11ed-81af-63a2bdfb2bf8', '063d5820-1284-11ed-81af-63a2bdfb2bf9'];
    expect(ids.map((id) => byId(id).attributes.severity)).toEqual([0, 10, 20, 30]);
    expect(imported.units.map((unit) => unit.case.severity)).toEqual(['low', 'medium', 'high', 'critical']);
    for (const id of ids) expect(byId(id).attributes).toMatchObject({ assignees: [{ uid: 'abc' }], owner: 'cases', status: 0, settings: { syncAlerts: false }, updated_at: null });
    expect(imported.units[0]?.case.assignees).toEqual(['kibana:abc']);
  });
});
