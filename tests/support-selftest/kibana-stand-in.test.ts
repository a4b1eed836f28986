import { KibanaRequestError, KibanaStandIn, type KibanaCase, type UserAction } from '../support/kibana-cases';
import { CasesContract } from '../support/kibana-cases/contract';

const CASEOPS_USER = { username: 'caseops', full_name: 'caseops bot', email: 'caseops@example.com', profile_uid: 'u_caseops' };
const CASEOPS = { apiKey: 'caseops-key', ...CASEOPS_USER };
const ANA = { apiKey: 'ana-key', username: 'ana', full_name: 'Ana Analyst', email: 'ana@example.com', profile_uid: 'u_ana', password: 'ana-pass' };
const NONE_CONNECTOR = { id: 'none', name: 'none', type: '.none', fields: null };
const NEW_CASE = { title: 'Beaconing from 10.0.0.5', description: 'C2 traffic', tags: ['c2'], connector: NONE_CONNECTOR, settings: { syncAlerts: false }, owner: 'securitySolution' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let kibana: KibanaStandIn;

// A fresh Kibana per test: recordings, violations and cases start empty.
beforeEach(async () => {
  kibana = await KibanaStandIn.start({ users: [CASEOPS, ANA], spaces: ['soc'] });
});

// An answer the stand-in sends that its contract does not allow is a stand-in bug, whatever the test.
afterEach(async () => {
  const { responseViolations } = kibana;
  await kibana.stop();
  expect(responseViolations).toEqual([]);
});

/** A request as the app sends one: the caseops API key and `kbn-xsrf`, unless told otherwise (`null` leaves a header out). */
async function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string | null> } = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const all = { authorization: 'ApiKey caseops-key', 'kbn-xsrf': 'caseops', 'content-type': 'application/json', ...options.headers };
  const headers = Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== null));
  const init = { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) };
  const response = await fetch(`${kibana.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

async function createCase(fields: Record<string, unknown> = {}, prefix = ''): Promise<KibanaCase> {
  const answer = await call('POST', `${prefix}/api/cases`, { body: { ...NEW_CASE, ...fields } });
  expect(answer.status).toBe(200);
  return answer.body as KibanaCase;
}

describe('the contract', () => {
  it('refuses a create without a required field, or with a wrongly typed one, and records why', async () => {
    const { title, ...untitled } = NEW_CASE;
    const missing = await call('POST', '/api/cases', { body: untitled });
    expect(missing).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Invalid value "undefined" supplied to "title"' } });
    const wrongType = await call('POST', '/api/cases', { body: { ...NEW_CASE, tags: 'c2' } });
    expect(wrongType.body.message).toBe('Invalid value "c2" supplied to "tags"');
    expect(kibana.violations).toEqual([
      expect.objectContaining({ method: 'POST', path: '/api/cases', operationId: 'createCaseDefaultSpace', contract: 'openapi' }),
      expect.objectContaining({ contract: 'openapi', errors: ['Invalid value "c2" supplied to "tags"'] }),
    ]);
    expect(kibana.cases()).toEqual([]);
  });

  it('also refuses what the cases plugin refuses beyond the document: unknown keys, empty titles', async () => {
    expect((await call('POST', '/api/cases', { body: { ...NEW_CASE, colour: 'red' } })).body.message).toBe('invalid keys "colour"');
    expect((await call('POST', '/api/cases', { body: { ...NEW_CASE, title: '  ' } })).body.message).toBe('The title field cannot be an empty string.');
    expect(kibana.violations.map((v) => v.contract)).toEqual(['kibana', 'kibana']);
  });

  it('refuses unknown query parameters and a page larger than 100', async () => {
    const answer = await call('GET', '/api/cases/_find?perPage=101&colour=red');
    expect(answer.status).toBe(400);
    expect(kibana.violations[0]?.errors).toEqual(['invalid keys "colour"', 'Invalid value "101" supplied to "perPage"']);
  });

  it('answers unknown routes, and unknown spaces, with Kibana\'s 404', async () => {
    for (const path of ['/api/cases/configure/nowhere/else', '/api/status', '/s/nowhere/api/cases/_find']) {
      expect(await call('GET', path)).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not Found' } });
    }
  });

  it('can tell a response the document does not allow (the self-check behind responseViolations)', async () => {
    const contract = await CasesContract.load();
    const operation = contract.match('GET', '/api/cases/abc');
    if (!operation) throw new Error('no getCase operation');
    const theCase = await createCase();
    expect(contract.responseErrors(operation, 200, theCase, {})).toEqual([]);
    const { version, ...versionless } = theCase;
    expect(contract.responseErrors(operation, 200, { ...versionless, status: 'done' }, {})).toEqual([
      "/ must have required property 'version'",
      '/status must be equal to one of the allowed values',
    ]);
  });
});

describe('a create, patch, comment and find round trip', () => {
  it('works as Kibana does and breaks no contract', async () => {
    const created = await createCase({ severity: 'high' });
    expect(created).toMatchObject({
      id: expect.stringMatching(UUID),
      version: 'WzEsMV0=', // [1,1]: the index's first write
      status: 'open',
      severity: 'high',
      comments: [],
      totalComment: 0,
      created_by: CASEOPS_USER,
      updated_at: null,
      closed_at: null,
      duration: null,
    });
    const alert = { type: 'alert', alertId: 'a-1', index: '.alerts-security.alerts-default', rule: { id: 'r-1', name: 'C2' }, owner: 'securitySolution' };
    const withAlert = await call('POST', `/api/cases/${created.id}/comments`, { body: alert });
    expect(withAlert.body).toMatchObject({ totalAlerts: 1, totalComment: 0, comments: [{ type: 'alert', alertId: 'a-1' }] });
    const patch = { id: created.id, version: withAlert.body.version, status: 'closed', title: 'Beaconing, contained' };
    const [closed] = (await call('PATCH', '/api/cases', { body: { cases: [patch] } })).body as KibanaCase[];
    expect(closed).toMatchObject({ status: 'closed', title: 'Beaconing, contained', closed_by: { username: 'caseops' }, updated_by: { username: 'caseops' } });
    expect(closed?.duration).toBe(Math.floor((Date.parse(closed?.closed_at ?? '') - Date.parse(created.created_at)) / 1000));

    const note = { type: 'user', comment: 'Host isolated.', owner: 'securitySolution' };
    const commented = await call('POST', `/api/cases/${created.id}/comments`, { body: note });
    expect(commented.body).toMatchObject({ totalComment: 1, totalAlerts: 1, comments: [{ type: 'alert' }, { ...note, id: expect.stringMatching(UUID) }] });
    expect(new Set([created.version, withAlert.body.version, closed?.version, commented.body.version]).size).toBe(4);
    expect(Date.parse(commented.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(closed?.updated_at ?? ''));

    const found = await call('GET', '/api/cases/_find?search=contained&searchFields=title&status=closed');
    expect(found.body).toMatchObject({ total: 1, page: 1, per_page: 20, count_closed_cases: 1, cases: [{ id: created.id, totalComment: 1, comments: [] }] });
    const comments = await call('GET', `/api/cases/${created.id}/comments/_find`);
    expect(comments.body).toMatchObject({ total: 1, per_page: 20, comments: [{ comment: 'Host isolated.' }] }); // user comments only
    const commentId = commented.body.comments[1].id as string;
    expect((await call('GET', `/api/cases/${created.id}/comments/${commentId}`)).body).toMatchObject({ id: commentId, type: 'user' });
    expect((await call('POST', `/api/cases/${created.id}/comments`, { body: alert })).body.message).toBe('Alert cannot be attached to a closed case');
    expect(kibana.violations.map((v) => v.message)).toEqual(['Alert cannot be attached to a closed case']);
  });

  it('reopening clears closed_at, closed_by and duration', async () => {
    const ana = kibana.as('ana-key');
    const created = await ana.createCase({ title: 'Phishing', description: 'Reported by finance' });
    await ana.updateCase(created.id, { status: 'closed' });
    expect(await ana.updateCase(created.id, { status: 'open' })).toMatchObject({ status: 'open', closed_at: null, closed_by: null, duration: null });
  });

  it('answers 406 to a patch that changes nothing, and 404 to an unknown case', async () => {
    const created = await createCase();
    const same = await call('PATCH', '/api/cases', { body: { cases: [{ id: created.id, version: created.version, tags: ['c2'] }] } });
    expect(same).toMatchObject({ status: 406, body: { message: 'All update fields are identical to current version.' } });
    const unknown = await call('PATCH', '/api/cases', { body: { cases: [{ id: 'no-such-case', version: 'WzEsMV0=', title: 'x' }] } });
    expect(unknown).toMatchObject({ status: 404, body: { message: 'These cases no-such-case do not exist. Please check you have the correct ids.' } });
    expect((await call('GET', '/api/cases/no-such-case')).body.message).toBe('Saved object [cases/no-such-case] not found');
  });

  it('deletes cases with their comments and user actions, and keeps the deletion', async () => {
    const created = await createCase();
    const deleted = await call('DELETE', `/api/cases?ids=${encodeURIComponent(JSON.stringify([created.id]))}`);
    expect(deleted).toMatchObject({ status: 204, body: undefined });
    expect(kibana.cases()).toEqual([]);
    expect(kibana.userActions(created.id)).toEqual([]);
    expect(kibana.caseDeletions()).toEqual([expect.objectContaining({ type: 'delete_case', action: 'delete', payload: {}, created_by: expect.objectContaining({ username: 'caseops' }) })]);
  });
});

describe('versions', () => {
  it('answers 409 to a patch with a stale case version', async () => {
    const created = await createCase();
    await kibana.as('ana-key').updateCase(created.id, { severity: 'critical' });
    const stale = await call('PATCH', '/api/cases', { body: { cases: [{ id: created.id, version: created.version, status: 'in-progress' }] } });
    expect(stale).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: `These cases ${created.id} have been updated. Please refresh before saving additional updates.` },
    });
    expect(kibana.getCase(created.id)).toMatchObject({ status: 'open', severity: 'critical', updated_by: { username: 'ana' } });
  });

  it('answers 409 to a comment update with a stale comment version', async () => {
    const created = await createCase();
    const { comments } = await kibana.as('ana-key').addComment(created.id, 'First look');
    const comment = comments[0];
    const update = (version: string) => ({ id: comment?.id, version, type: 'user', comment: 'Second look', owner: 'securitySolution' });
    expect((await call('PATCH', `/api/cases/${created.id}/comments`, { body: update(comment?.version ?? '') })).status).toBe(200);
    const stale = await call('PATCH', `/api/cases/${created.id}/comments`, { body: update(comment?.version ?? '') });
    expect(stale).toMatchObject({ status: 409, body: { message: 'This case has been updated. Please refresh before saving additional updates.' } });
  });
});

describe('user actions', () => {
  it('records create, a patch of two fields and a comment in Kibana\'s shapes', async () => {
    const created = await createCase();
    await call('PATCH', '/api/cases', { body: { cases: [{ id: created.id, version: created.version, title: 'Beaconing confirmed', tags: ['c2', 'apt'] }] } });
    await kibana.as('ana-key').addComment(created.id, 'Looks like APT29');
    const answer = await call('GET', `/api/cases/${created.id}/user_actions/_find`);
    expect(answer.body).toMatchObject({ page: 1, perPage: 20, total: 4 });
    const actions = answer.body.userActions as UserAction[];
    const byCaseops = { created_by: CASEOPS_USER, owner: 'securitySolution', comment_id: null };
    const createPayload = { ...NEW_CASE, severity: 'low', assignees: [], category: null, customFields: [], status: 'open' };
    const comment = { type: 'user', comment: 'Looks like APT29', owner: 'securitySolution' };
    expect(actions.map(({ id, version, created_at, ...rest }) => rest)).toEqual([
      { type: 'create_case', action: 'create', payload: createPayload, ...byCaseops },
      { type: 'title', action: 'update', payload: { title: 'Beaconing confirmed' }, ...byCaseops },
      { type: 'tags', action: 'add', payload: { tags: ['apt'] }, ...byCaseops }, // only what was added
      { type: 'comment', action: 'create', payload: { comment }, comment_id: kibana.comments(created.id)[0]?.id, created_by: expect.objectContaining({ username: 'ana' }), owner: 'securitySolution' },
    ]);
    expect(new Set(actions.map((a) => a.version)).size).toBe(4);
    const onlyTitles = await call('GET', `/api/cases/${created.id}/user_actions/_find?types=title&sortOrder=desc`);
    expect(onlyTitles.body.userActions.map((a: UserAction) => a.type)).toEqual(['title']);
  });
});

describe('_find', () => {
  it('sorts by updatedAt, cases never updated last, and searches titles by whole words as Elasticsearch does', async () => {
    const first = await createCase({ title: 'Ransomware on FS01' });
    const second = await createCase({ title: 'Ransomware note found' });
    const third = await createCase({ title: 'Ransom demand email' });
    await kibana.as('ana-key').updateCase(second.id, { severity: 'critical' });
    await kibana.as('ana-key').updateCase(first.id, { severity: 'high' });
    const byUpdate = await call('GET', '/api/cases/_find?sortField=updatedAt&sortOrder=desc');
    expect(byUpdate.body.cases.map((c: KibanaCase) => c.id)).toEqual([first.id, second.id, third.id]);
    const ascending = await call('GET', '/api/cases/_find?sortField=updatedAt&sortOrder=asc');
    expect(ascending.body.cases.map((c: KibanaCase) => c.id)).toEqual([second.id, first.id, third.id]);
    const titles = async (search: string) =>
      (await call('GET', `/api/cases/_find?${search}&searchFields=title&sortField=title&sortOrder=asc`)).body.cases.map((c: KibanaCase) => c.title);
    expect(await titles('search=RANSOMWARE')).toEqual(['Ransomware note found', 'Ransomware on FS01']);
    // The analyser splits `ransom-note` into two words, which the default operator (OR) joins.
    expect(await titles('search=ransom-note')).toEqual(['Ransom demand email', 'Ransomware note found']);
    expect(await titles('search=ransom-note&defaultSearchOperator=AND')).toEqual([]);
    expect(await titles('search=%22note%20found%22%20fs*')).toEqual(['Ransomware note found', 'Ransomware on FS01']);
  });
});

describe('headers, credentials and privileges', () => {
  it('answers 400 to a write without kbn-xsrf', async () => {
    const answer = await call('POST', '/api/cases', { body: NEW_CASE, headers: { 'kbn-xsrf': null } });
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' } });
    expect(kibana.violations[0]).toMatchObject({ contract: 'kibana', message: 'Request must contain a kbn-xsrf header.' });
  });

  it('answers 401 without credentials, with unknown ones and with revoked ones; Basic works', async () => {
    expect(await call('GET', '/api/cases/_find', { headers: { authorization: null } })).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    const unknown = await call('GET', '/api/cases/_find', { headers: { authorization: 'ApiKey nope' } });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'Unauthorized', message: expect.stringContaining('security_exception') } });
    const basic = `Basic ${Buffer.from('ana:ana-pass').toString('base64')}`;
    expect((await call('GET', '/api/cases/_find', { headers: { authorization: basic } })).status).toBe(200);
    kibana.revoke('caseops-key');
    expect((await call('GET', '/api/cases/_find')).status).toBe(401);
    expect(kibana.requests.map((r) => r.user)).toEqual([undefined, undefined, 'ana', undefined]);
  });

  it('answers 403 in Kibana\'s words per operation once the Cases privilege is gone', async () => {
    const created = await createCase();
    kibana.denyPrivileges('caseops-key');
    expect((await call('POST', '/api/cases', { body: NEW_CASE })).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Unauthorized to create case with owners: "securitySolution"',
    });
    expect((await call('GET', `/api/cases/${created.id}`)).body.message).toBe('Unauthorized to access case with owners: "securitySolution"');
    expect((await call('GET', '/api/cases/_find')).body.message).toBe('Unauthorized to access cases of any owner');
  });
});

describe('faults', () => {
  it('answers 429 with Retry-After, then normally', async () => {
    kibana.fail('POST /api/cases', { status: 429, retryAfterSeconds: 3 });
    const limited = await call('POST', '/api/cases', { body: NEW_CASE });
    expect(limited).toMatchObject({ status: 429, body: { statusCode: 429, error: 'Too Many Requests' } });
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(kibana.cases()).toEqual([]);
    expect((await call('POST', '/api/cases', { body: NEW_CASE })).status).toBe(200);
    expect(kibana.requests.map((r) => [r.status, r.fault])).toEqual([[429, 'fail'], [200, undefined]]);
  });

  it('loseAnswer does the work, then drops the connection unanswered', async () => {
    kibana.loseAnswer('POST /api/cases');
    await expect(call('POST', '/api/cases', { body: NEW_CASE })).rejects.toThrow();
    expect(kibana.cases()).toHaveLength(1);
    expect(kibana.requests[0]).toMatchObject({ fault: 'loseAnswer', status: undefined, operationId: 'createCaseDefaultSpace' });
  });

  it('hang never answers; matching takes a method and a path with * segments', async () => {
    const created = await createCase();
    kibana.hang('GET /api/cases/*', { times: 1 });
    const timedOut = fetch(`${kibana.url}/api/cases/${created.id}`, { headers: { authorization: 'ApiKey caseops-key' }, signal: AbortSignal.timeout(200) });
    await expect(timedOut).rejects.toThrow();
    expect((await call('GET', `/api/cases/${created.id}`)).status).toBe(200);
  });

  it('down answers 503 and performs nothing until up; Kibana users are not spared', async () => {
    kibana.down();
    expect(await call('POST', '/api/cases', { body: NEW_CASE })).toMatchObject({ status: 503, body: { message: 'Kibana server is not ready yet' } });
    await expect(kibana.as('ana-key').findCases()).rejects.toEqual(expect.any(KibanaRequestError));
    kibana.up();
    expect((await call('POST', '/api/cases', { body: NEW_CASE })).status).toBe(200);
    expect(kibana.cases()).toHaveLength(1);
  });
});

describe('spaces', () => {
  it('keeps each space\'s cases apart, under /s/<space>/api/cases', async () => {
    const soc = await createCase({ title: 'In the SOC space' }, '/s/soc');
    await createCase({ title: 'In the default space' });
    expect(kibana.cases('soc').map((c) => c.title)).toEqual(['In the SOC space']);
    expect(kibana.cases().map((c) => c.title)).toEqual(['In the default space']);
    expect((await call('GET', `/api/cases/${soc.id}`)).status).toBe(404);
    expect((await call('GET', `/s/soc/api/cases/${soc.id}`)).status).toBe(200);
    expect((await kibana.as('ana-key', { space: 'soc' }).findCases()).total).toBe(1);
    expect(kibana.requests[0]).toMatchObject({ space: 'soc', path: '/s/soc/api/cases' });
  });
});
