/** Hand-built export lines in the 8.8+ form, for files the tests break on purpose. */
export const CASE_A = '11111111-1111-4111-8111-111111111111';
export const CASE_B = '22222222-2222-4222-8222-222222222222';

const user = { email: null, full_name: null, username: 'elastic' };

export function caseObject(id: string, attributes: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'cases',
    typeMigrationVersion: '8.7.0',
    coreMigrationVersion: '8.8.0',
    references: [],
    attributes: {
      title: `Case ${id.slice(0, 4)}`,
      description: 'Seen on the proxy',
      status: 0,
      severity: 10,
      tags: ['proxy'],
      assignees: [],
      owner: 'securitySolution',
      settings: { syncAlerts: true },
      connector: { name: 'none', type: '.none', fields: null },
      external_service: null,
      created_at: '2025-05-01T10:00:00.000Z',
      created_by: user,
      updated_at: null,
      updated_by: null,
      closed_at: null,
      closed_by: null,
      duration: null,
      total_alerts: 0,
      total_comments: 1,
      ...attributes,
    },
    ...envelope,
  };
}

export function commentObject(id: string, caseId: string, attributes: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'cases-comments',
    typeMigrationVersion: '8.1.0',
    coreMigrationVersion: '8.8.0',
    references: [{ id: caseId, name: 'associated-cases', type: 'cases' }],
    attributes: {
      type: 'user',
      comment: 'blocked at the gateway',
      owner: 'securitySolution',
      created_at: '2025-05-01T10:05:00.000Z',
      created_by: user,
      pushed_at: null,
      pushed_by: null,
      updated_at: null,
      updated_by: null,
      ...attributes,
    },
    ...envelope,
  };
}

export function userActionObject(id: string, caseId: string, attributes: Record<string, unknown> = {}, commentId?: string): Record<string, unknown> {
  return {
    id,
    type: 'cases-user-actions',
    typeMigrationVersion: '8.5.0',
    coreMigrationVersion: '8.8.0',
    references: [{ id: caseId, name: 'associated-cases', type: 'cases' }, ...(commentId ? [{ id: commentId, name: 'associated-cases-comments', type: 'cases-comments' }] : [])],
    attributes: {
      action: 'update',
      type: 'status',
      payload: { status: 'in-progress' },
      created_at: '2025-05-01T10:10:00.000Z',
      created_by: user,
      owner: 'securitySolution',
      ...attributes,
    },
  };
}

export function summaryLine(count: number): string {
  return JSON.stringify({ excludedObjects: [], excludedObjectsCount: 0, exportedCount: count, missingRefCount: 0, missingReferences: [] });
}

/** Objects as an export: one per line, the summary last (with the true count unless told otherwise). */
export function ndjson(objects: readonly (Record<string, unknown> | string)[], summaryCount: number | null = objects.length): string {
  const lines = objects.map((object) => (typeof object === 'string' ? object : JSON.stringify(object)));
  return [...lines, ...(summaryCount === null ? [] : [summaryLine(summaryCount)])].join('\n');
}

/** Two good cases: A with a comment and two user actions, B alone. */
export function goodFile(): Record<string, unknown>[] {
  return [
    caseObject(CASE_A),
    commentObject('c1111111-1111-4111-8111-111111111111', CASE_A),
    userActionObject('u1111111-1111-4111-8111-111111111111', CASE_A),
    userActionObject('u1111111-1111-4111-8111-111111111112', CASE_A, { action: 'create', type: 'comment', payload: { comment: { type: 'user', comment: 'blocked at the gateway', owner: 'securitySolution' } } }, 'c1111111-1111-4111-8111-111111111111'),
    caseObject(CASE_B),
  ];
}
