import { migrateObject } from '../../src/kibana/import/migrate';
import { importText } from './support/files';
import { CASE_A, caseObject, ndjson } from './support/lines';

/** Kibana's legacy migrations, on the shapes older exports hold (reference §2.4, §3, §4). */
const by = { email: null, full_name: null, username: 'elastic' };
const legacyAction = (fields: string[], newValue: string | null, extra: Record<string, unknown> = {}) => ({
  attributes: { action: 'update', action_at: '2021-01-01T00:00:00.000Z', action_by: by, action_field: fields, new_value: newValue, old_value: null as string | null, owner: 'securitySolution', ...extra },
  references: [{ id: CASE_A, name: 'associated-cases', type: 'cases' }],
});

describe('user actions from 7.x', () => {
  const migrate = (object: ReturnType<typeof legacyAction>, from = '7.14.0') => migrateObject('cases-user-actions', object, from, []);

  it('turns a bare 7.10 comment string into a user comment with the action’s owner', () => {
    expect(migrate(legacyAction(['comment'], 'plain text', { action: 'create' })).attributes.payload).toEqual({ comment: { comment: 'plain text', type: 'user', owner: 'securitySolution' } });
  });

  it('splits comma-separated tags and reads plain titles', () => {
    expect(migrate(legacyAction(['tags'], 'a, b,c', { action: 'add' })).attributes.payload).toEqual({ tags: ['a', 'b', 'c'] });
    expect(migrate(legacyAction(['title'], 'New title')).attributes.payload).toEqual({ title: 'New title' });
  });

  it('moves a connector id to a reference (7.16), then drops the old connector reference (8.1)', () => {
    const object = legacyAction(['connector'], JSON.stringify({ id: 'jira-1', name: 'Jira', type: '.jira', fields: { issueType: '1' } }));
    object.attributes.old_value = JSON.stringify({ id: 'jira-0', name: 'Old', type: '.jira', fields: null });
    const migrated = migrate(object);
    expect(migrated.attributes.payload).toEqual({ connector: { name: 'Jira', type: '.jira', fields: { issueType: '1' } } });
    expect(migrated.references).toEqual([
      { id: CASE_A, name: 'associated-cases', type: 'cases' },
      { id: 'jira-1', name: 'connectorId', type: 'action' },
    ]);
    expect(migrated.version).toBe('8.5.0');
  });

  it('makes a push a `pushed` action spelt push_to_service, its connector a reference', () => {
    const migrated = migrate(legacyAction(['pushed'], JSON.stringify({ connector_id: 'jira-1', connector_name: 'Jira', external_id: '7' }), { action: 'push-to-service' }));
    expect(migrated.attributes).toMatchObject({ action: 'push_to_service', type: 'pushed', payload: { externalService: { connector_name: 'Jira', external_id: '7' } } });
    expect(migrated.references[1]).toEqual({ id: 'jira-1', name: 'pushConnectorId', type: 'action' });
  });

  it('nulls the rule of an alert comment (8.0)', () => {
    const migrated = migrate(legacyAction(['comment'], JSON.stringify({ type: 'alert', alertId: 'a', index: 'i', rule: { id: 'r', name: 'R' } }), { action: 'create' }));
    expect(migrated.attributes.payload).toEqual({ comment: { type: 'alert', alertId: 'a', index: 'i', rule: { id: null, name: null } } });
  });

  it('fills a create_case with the none connector, open status, settings, severity and assignees', () => {
    const migrated = migrate(legacyAction(['title', 'tags', 'description'], JSON.stringify({ title: 'T', tags: ['x'], description: 'D' }), { action: 'create' }), '7.10.0');
    expect(migrated.attributes).toMatchObject({ type: 'create_case', created_at: '2021-01-01T00:00:00.000Z', created_by: by });
    expect(migrated.attributes.payload).toEqual({
      title: 'T',
      tags: ['x'],
      description: 'D',
      connector: { name: 'none', type: '.none', fields: null },
      status: 'open',
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      severity: 'low',
      assignees: [],
    });
  });
});

describe('cases from 7.x and early 8.x', () => {
  it('runs only the migrations newer than the declared version, and says which version the result is in', () => {
    const migrated = migrateObject('cases', { attributes: { status: 'closed', severity: 'critical', owner: 'cases', created_at: '2022-01-01T00:00:00Z', closed_at: '2022-01-01T01:00:00.999Z' }, references: [] }, '8.1.0', []);
    expect(migrated.attributes).toEqual({
      status: 20,
      severity: 30,
      owner: 'cases',
      created_at: '2022-01-01T00:00:00Z',
      closed_at: '2022-01-01T01:00:00.999Z',
      duration: 3600,
      assignees: [],
      total_alerts: -1,
      total_comments: -1,
    });
    expect(migrated.version).toBe('8.7.0');
  });

  it('adds ServiceNow category fields (7.12) and reads the legacy migrationVersion map', async () => {
    const servicenow = caseObject(
      CASE_A,
      { status: 'open', severity: undefined, assignees: undefined, owner: undefined, connector: { id: 'sn-1', name: 'SN', type: '.servicenow', fields: [{ key: 'urgency', value: '1' }] } },
      { typeMigrationVersion: undefined, migrationVersion: { cases: '7.11.0' } },
    );
    const result = await importText(ndjson([servicenow]));
    const kibana = result.units[0]?.case.kibana;
    expect(kibana?.attributes?.connector).toEqual({
      name: 'SN',
      type: '.servicenow',
      fields: [
        { key: 'urgency', value: '1' },
        { key: 'category', value: null },
        { key: 'subcategory', value: null },
      ],
    });
    expect(kibana?.references).toEqual([{ id: 'sn-1', name: 'connectorId', type: 'action' }]);
    expect(result.units[0]?.case).toMatchObject({ owner: 'securitySolution', severity: 'low', assignees: [] });
  });

  it('drops incremental_id, which Kibana 9.x refuses on import', async () => {
    const result = await importText(ndjson([caseObject(CASE_A, { incremental_id: 7 }, { typeMigrationVersion: '10.6.0' })]));
    expect(result.units[0]?.case.kibana?.attributes).toBeUndefined();
  });

  it('keeps what newer Kibana versions add, verbatim', async () => {
    const newer = caseObject(CASE_A, { category: 'Phishing', customFields: [{ key: 'k', type: 'toggle', value: true }], total_events: 3, observables: [] }, { typeMigrationVersion: '10.8.0' });
    const result = await importText(ndjson([newer]));
    expect(result.units[0]?.case.kibana?.attributes).toEqual({ category: 'Phishing', customFields: [{ key: 'k', type: 'toggle', value: true }], total_events: 3, observables: [] });
  });
});
