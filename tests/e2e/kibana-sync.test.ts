import { readCaseDescription } from '../../src/kibana/case-marker';
import { until } from '../reliability/support/async';
import { Harness } from '../support/harness';
import { KibanaStandIn } from '../support/kibana-cases';
import { fromStore, openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * Live sync, Slack → Kibana (src/kibana-sync/), against the Kibana Cases stand-in, which checks every request
 * caseops makes against Kibana's OpenAPI document.
 */

const TEAM = 'T0001';
const CASEOPS = { username: 'caseops', full_name: 'caseops', email: 'caseops@example.com', apiKey: 'caseops-api-key' };
const ANA = { username: 'ana', full_name: 'Ana Lopez', email: 'ana@example.com', profile_uid: 'u_ana', apiKey: 'ana-api-key' };

let kibana: KibanaStandIn;
let harness: Harness;

beforeEach(async () => {
  kibana = await KibanaStandIn.start({ users: [CASEOPS, ANA] });
  harness = await Harness.start({ env: { CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: kibana.url, KIBANA_API_KEY: CASEOPS.apiKey, CASEOPS_OUTBOX_POLL_MS: '100' } });
});

afterEach(async () => {
  await harness.stop();
  await kibana.stop();
  // Every request caseops made conformed to Kibana's contract, and the stand-in answered by it.
  expect(kibana.violations).toEqual([]);
  expect(kibana.responseViolations).toEqual([]);
});

const mirrorOf = async (number: number) => {
  const theCase = await fromStore(harness, (store) => store.getCase(TEAM, { number }));
  return theCase?.kibanaMirror;
};

const mirrored = (number: number) =>
  until(`case #${number} mirrored in Kibana`, async () => Boolean((await mirrorOf(number))?.id), 15_000).then(async () => kibana.getCase((await mirrorOf(number))!.id!)!);

describe('Kibana live sync: Slack to Kibana', () => {
  test('a case opened in Slack exists in Kibana with its fields, and its changes follow there; the card links to it', async () => {
    const opened = await openCaseByCommand(harness, 'Beacon from the print server sev:high #malware #printers');
    const created = await mirrored(opened.number);
    expect(created).toMatchObject({ title: 'Beacon from the print server', severity: 'high', status: 'open', tags: ['malware', 'printers'], owner: 'securitySolution' });
    expect(readCaseDescription(created.description).data).toMatchObject({ mirrorOf: opened.id.replace(/-/g, ''), origin: { teamId: TEAM, channelId: 'C0PUBLIC' } });

    await runCommand(harness, `severity ${opened.number} critical`);
    await runCommand(harness, `status ${opened.number} in-progress`);
    await runCommand(harness, `tag ${opened.number} #lateral`);
    await runCommand(harness, `comment ${opened.number} Isolated the print server`);
    await until('the changes in Kibana', () => kibana.comments(created.id).length === 1 && kibana.getCase(created.id)!.tags.includes('lateral'), 15_000);
    expect(kibana.getCase(created.id)).toMatchObject({ severity: 'critical', status: 'in-progress', tags: ['malware', 'printers', 'lateral'] });
    expect(kibana.comments(created.id)).toEqual([expect.objectContaining({ type: 'user', comment: 'Isolated the print server' })]);
    // Kibana's own history says caseops made them, in the order they were made in Slack.
    const types = kibana.userActions(created.id).map((action) => `${action.type}:${action.action}`);
    expect(types).toEqual(['create_case:create', 'severity:update', 'status:update', 'tags:add', 'comment:create']);
    expect(new Set(kibana.userActions(created.id).map((action) => action.created_by.username))).toEqual(new Set(['caseops']));

    await settle(harness);
    const card = harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!;
    expect(textOf(card.blocks)).toContain(`${kibana.url}/app/security/cases/${created.id}|Open in Kibana`);
  });

  test('Kibana down: the card says the sync is pending, and every change lands once, in order, when it is back', async () => {
    const opened = await openCaseByCommand(harness, 'Credential stuffing on the VPN');
    const created = await mirrored(opened.number);
    kibana.down();
    for (const severity of ['medium', 'high', 'critical']) await runCommand(harness, `severity ${opened.number} ${severity}`);
    await runCommand(harness, `comment ${opened.number} Blocked the source ranges`);
    await until('the sync marked pending', async () => Boolean((await mirrorOf(opened.number))?.behind), 15_000);
    await until('the card says so', () => textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks).includes('Kibana sync pending'), 15_000);
    expect(kibana.getCase(created.id)!.severity).toBe('low');

    kibana.up();
    await until('the backlog in Kibana', () => kibana.comments(created.id).length === 1, 30_000);
    await until('the pending mark cleared', async () => !(await mirrorOf(opened.number))?.behind, 15_000);
    const severities = kibana.userActions(created.id).filter((action) => action.type === 'severity').map((action) => action.payload.severity);
    expect(severities).toEqual(['medium', 'high', 'critical']);
    expect(kibana.getCase(created.id)!.severity).toBe('critical');
    expect(kibana.cases()).toHaveLength(1);
    await settle(harness);
    expect(textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks)).not.toContain('Kibana sync pending');
  });

  test('the answer to the create is lost: the retry finds the mirror by its marker, and there is one case in Kibana', async () => {
    kibana.loseAnswer('POST /api/cases', { times: 1 });
    const opened = await openCaseByCommand(harness, 'Suspicious OAuth grant');
    const created = await mirrored(opened.number);
    await runCommand(harness, `severity ${opened.number} high`);
    await until('the change in Kibana', () => kibana.getCase(created.id)!.severity === 'high', 15_000);
    expect(kibana.cases()).toHaveLength(1);
  });

  test('a field changed in Kibana after the change made in Slack keeps Kibana\'s value; tags from both sides are kept', async () => {
    const opened = await openCaseByCommand(harness, 'Data exfiltration over DNS #dns');
    const created = await mirrored(opened.number);
    // Kibana turns caseops away for a few seconds (429, Retry-After: 3): meanwhile Ana changes severity and tags there.
    kibana.fail('GET /api/cases/*', { status: 429, times: 1, retryAfterSeconds: 3 });
    await runCommand(harness, `severity ${opened.number} medium`);
    await runCommand(harness, `tag ${opened.number} #exfil`);
    await until('the sync marked pending', async () => Boolean((await mirrorOf(opened.number))?.behind), 15_000);
    await kibana.as(ANA.apiKey).updateCase(created.id, { severity: 'critical', tags: ['dns', 'ana-was-here'] });
    await until('the backlog delivered', async () => !(await mirrorOf(opened.number))?.behind, 30_000);
    expect(kibana.getCase(created.id)).toMatchObject({ severity: 'critical', tags: ['dns', 'ana-was-here', 'exfil'] });
  });
});
