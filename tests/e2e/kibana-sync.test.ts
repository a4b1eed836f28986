import { readCaseDescription } from '../../src/kibana/case-marker';
import { until } from '../reliability/support/async';
import type { Harness } from '../support/harness';
import type { KibanaStandIn } from '../support/kibana-cases';
import type { KibanaCase } from '../support/kibana-cases/types';
import { ANA, CASEOPS, mirrored as mirroredIn, mirrorOf as mirrorIn, startSynced, stopSynced, TEAM } from './kibana-support';
import { fromStore, openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * Live sync, both ways (src/kibana-sync/), against the Kibana Cases stand-in, which checks every request caseops
 * makes against Kibana's OpenAPI document.
 */

/** Not in CASEOPS_KIBANA_PROFILE_UIDS: a Slack member has her email. */
const BEA = { username: 'bea', full_name: 'Bea Ortiz', email: 'bea.ortiz@example.com', profile_uid: 'u_bea', apiKey: 'bea-api-key' };
/** In Kibana only. */
const DAN = { username: 'dan', full_name: 'Dan Wu', email: 'dan@contractor.example', profile_uid: 'u_dan', apiKey: 'dan-api-key' };

let kibana: KibanaStandIn;
let harness: Harness;

beforeEach(async () => {
  ({ kibana, harness } = await startSynced([BEA, DAN]));
});

afterEach(() => stopSynced({ kibana, harness }));

const mirrorOf = (number: number) => mirrorIn(harness, number);
const mirrored = (number: number) => mirroredIn({ kibana, harness }, number);

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

  test('Kibana refuses the key: the admins get one direct message saying what it needs, however many requests fail', async () => {
    const opened = await openCaseByCommand(harness, 'Password spraying on OWA');
    await mirrored(opened.number);
    kibana.revoke(CASEOPS.apiKey);
    await runCommand(harness, `severity ${opened.number} high`);
    const toAdmin = () => harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === 'U0ADMIN').map((call) => String(call.args.text));
    await until('the admin told', () => toAdmin().length > 0, 15_000);
    // The push is refused, and so is every poll after it (one a second): still one message.
    await until('the sync marked pending', async () => Boolean((await mirrorOf(opened.number))?.behind), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(toAdmin()).toHaveLength(1);
    expect(toAdmin()[0]).toMatch(/Kibana live sync is stopped.*401.*KIBANA_API_KEY.*Cases: All.*Security feature in the Kibana space `default`/s);
    expect(toAdmin()[0]).not.toContain(CASEOPS.apiKey);
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

/** A change Ana (or another) makes in Kibana's UI: loaded, changed, saved; saved again on the case as it is when someone saved first. */
async function anaChanges(caseId: string, change: (current: KibanaCase) => Record<string, unknown>, who: { apiKey: string } = ANA): Promise<void> {
  const user = kibana.as(who.apiKey);
  for (let attempt = 0; ; attempt += 1) {
    try {
      await user.updateCase(caseId, change((await user.getCase(caseId)) as KibanaCase));
      return;
    } catch (error) {
      if ((error as { status?: number }).status !== 409 || attempt > 10) throw error;
    }
  }
}

const caseNow = (number: number) => fromStore(harness, (store) => store.getCase(TEAM, { number })).then((theCase) => theCase!);

describe('Kibana live sync: Kibana to Slack', () => {
  test('what Ana does in Kibana reaches the case and its card, with a thread line, and nothing echoes back', async () => {
    const opened = await openCaseByCommand(harness, 'Phishing wave on finance #phishing');
    const created = await mirrored(opened.number);
    await anaChanges(created.id, () => ({ severity: 'high', status: 'in-progress' }));
    await anaChanges(created.id, (current) => ({ tags: [...current.tags, 'bec'], title: 'Phishing wave on finance (BEC)' }));
    await anaChanges(created.id, () => ({ assignees: [{ uid: ANA.profile_uid }] }));
    await kibana.as(ANA.apiKey).addComment(created.id, 'Mail gateway rule pushed');
    await kibana.as(ANA.apiKey).addAlert(created.id, { alertId: 'alert-7', index: '.internal.alerts-security.alerts-default-000001', rule: { id: 'rule-1', name: 'Suspicious mail' } });

    await until('the changes in Slack', async () => (await caseNow(opened.number)).totals.alert === 1, 20_000);
    const theCase = await caseNow(opened.number);
    expect(theCase).toMatchObject({ title: 'Phishing wave on finance (BEC)', severity: 'high', status: 'in-progress', tags: ['phishing', 'bec'], assignees: ['U0ANA'] });
    expect(theCase.totals).toMatchObject({ user: 1, alert: 1 });
    const history = await fromStore(harness, (store) => store.listUserActions(theCase.id, { limit: 50 }));
    expect(history.filter((action) => action.createdBy.via === 'kibana').map((action) => action.createdBy.name)).toEqual(Array(history.length - 1).fill('Ana Lopez'));

    await settle(harness);
    const thread = harness.emulator.messagesIn('C0PUBLIC').filter((message) => message.thread_ts === opened.card.ts).map((message) => message.text ?? '');
    expect(thread.filter((text) => text.startsWith(':arrows_counterclockwise: Changed in Kibana by <@U0ANA>:'))).toHaveLength(history.length - 1);
    expect(thread.join('\n')).toContain('commented: Mail gateway rule pushed');
    const card = textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks);
    expect(card).toContain('Phishing wave on finance (BEC)');

    // Two more polls: caseops wrote nothing back to Kibana (no echo), and applied nothing twice.
    const actionsInKibana = kibana.userActions(created.id).length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(kibana.userActions(created.id)).toHaveLength(actionsInKibana);
    expect(kibana.comments(created.id).map((comment) => comment.created_by.username)).toEqual(['ana', 'ana']);
    expect(await fromStore(harness, (store) => store.listUserActions(theCase.id, { limit: 50 }))).toHaveLength(history.length);
  });

  test('20 changes in Slack and 20 in Kibana, interleaved: both sides converge, nothing lost, nothing echoed', async () => {
    const opened = await openCaseByCommand(harness, 'Ransomware precursor on the file servers');
    const created = await mirrored(opened.number);
    const severities = ['medium', 'high', 'critical', 'low'] as const;
    for (let round = 0; round < 20; round += 1) {
      if (round % 2 === 0) await runCommand(harness, `tag ${opened.number} #slack-${round}`);
      else await runCommand(harness, `comment ${opened.number} From Slack ${round}`);
      if (round % 2 === 0) await anaChanges(created.id, (current) => ({ tags: [...current.tags, `kibana-${round}`] }));
      else await kibana.as(ANA.apiKey).addComment(created.id, `From Kibana ${round}`);
      if (round % 5 === 4) await runCommand(harness, `severity ${opened.number} ${severities[round % 4]}`);
    }
    // The last word on severity is Ana's, in Kibana, after everything said in Slack.
    await anaChanges(created.id, () => ({ severity: 'critical' }));

    const tagsWanted = Array.from({ length: 10 }, (_, index) => [`slack-${index * 2}`, `kibana-${index * 2}`]).flat().sort();
    await until(
      'both sides the same',
      async () => {
        const theCase = await caseNow(opened.number);
        const mirror = kibana.getCase(created.id)!;
        return theCase.severity === 'critical' && mirror.severity === 'critical' && theCase.totals.user === 20 && kibana.comments(created.id).length === 20 && [...theCase.tags].sort().join() === tagsWanted.join() && [...mirror.tags].sort().join() === tagsWanted.join();
      },
      40_000,
    );
    const caseId = (await caseNow(opened.number)).id;
    const slackComments = (await fromStore(harness, (store) => store.listAttachments(caseId, { limit: 100, types: ['user'] }))).map((attachment) => (attachment.data as { comment?: string }).comment).sort();
    const kibanaComments = kibana.comments(created.id).map((comment) => comment.comment).sort();
    expect(slackComments).toEqual(kibanaComments);
    // No echo: every Kibana comment was made once, by whoever made it.
    expect(kibana.comments(created.id).filter((comment) => comment.created_by.username === 'caseops')).toHaveLength(10);
  });
});

describe('Kibana live sync: who is who', () => {
  test('a Kibana user outside the mapping is found in Slack by email: mentioned in the thread, assigned on the card, and kept as her Kibana profile when Slack changes the assignees', async () => {
    harness.emulator.addUser({ id: 'U0BEA', name: 'bea', realName: 'Bea Ortiz', email: 'Bea.Ortiz@example.com' });
    const opened = await openCaseByCommand(harness, 'Session token replayed from a new ASN');
    const created = await mirrored(opened.number);
    await anaChanges(created.id, () => ({ assignees: [{ uid: BEA.profile_uid }] }), BEA);
    await kibana.as(DAN.apiKey).addComment(created.id, 'Same token seen in the proxy logs');

    await until('the changes in Slack', async () => (await caseNow(opened.number)).totals.user === 1, 20_000);
    const theCase = await caseNow(opened.number);
    expect(theCase.assignees).toEqual(['U0BEA']);
    expect(theCase.kibanaMirror?.profiles).toEqual({ U0BEA: BEA.profile_uid });
    await settle(harness);
    const thread = harness.emulator.messagesIn('C0PUBLIC').filter((message) => message.thread_ts === opened.card.ts).map((message) => message.text ?? '');
    expect(thread.filter((text) => text.startsWith(':arrows_counterclockwise: Changed in Kibana by <@U0BEA>:'))).toHaveLength(1);
    expect(thread.filter((text) => text.startsWith(':arrows_counterclockwise: Changed in Kibana by *Dan Wu*:'))).toHaveLength(1);

    // Slack adds Ana: Kibana's assignees are both profiles; Bea is not turned into a `slack-assignee:` tag.
    await runCommand(harness, `assign ${opened.number} <@U0ANA>`);
    await until('the assignees in Kibana', () => kibana.getCase(created.id)!.assignees.length === 2, 15_000);
    expect(kibana.getCase(created.id)!.assignees.map((assignee) => assignee.uid).sort()).toEqual([ANA.profile_uid, BEA.profile_uid]);
    expect(kibana.getCase(created.id)!.tags).toEqual([]);
    expect(harness.emulator.callsTo('users.lookupByEmail').map((call) => call.args.email)).toEqual([BEA.email, DAN.email]);
  });
});

describe('Kibana live sync: war room roles', () => {
  test('a role given in Slack reaches the Kibana case as a comment', async () => {
    const opened = await openCaseByCommand(harness, 'Rogue OAuth app in the tenant');
    const created = await mirrored(opened.number);
    await runCommand(harness, `role ${opened.number} lead <@U0ANA|ana>`);
    await until('the comment in Kibana', () => kibana.comments(created.id).length === 1, 15_000);
    expect(kibana.comments(created.id)[0]).toMatchObject({ type: 'user', comment: 'Role: <@U0ANA> is the incident lead.' });
  });

  test("a mirrored case's war room bookmarks its page in Kibana", async () => {
    const opened = await openCaseByCommand(harness, 'Golden SAML suspicion');
    const created = await mirrored(opened.number);
    await runCommand(harness, `room ${opened.number}`);
    const room = await harness.emulator.waitFor(() => harness.emulator.channelNamed(`case-${opened.number}-golden-saml-suspicion`)?.bookmarks?.[0], 15_000);
    expect(room).toMatchObject({ title: `Case #${opened.number} in Kibana`, link: `${kibana.url}/app/security/cases/${created.id}` });
  });
});

describe('Kibana live sync: /case link', () => {
  test('a case born in Kibana is mirrored into the channel with a card; changes then flow both ways; a second link changes nothing', async () => {
    const ana = kibana.as(ANA.apiKey);
    const born = await ana.createCase({ title: 'Impossible travel for the CFO', description: 'Seen by the identity rule.', severity: 'high', tags: ['identity'] });
    await anaChanges(born.id, () => ({ status: 'in-progress' }));
    const before = harness.emulator.messagesIn('C0PUBLIC').length;
    await harness.driver.command(`link <${kibana.url}/app/security/cases/${born.id}>`, { channelId: 'C0PUBLIC' });
    const card = await harness.emulator.waitFor(() => harness.emulator.messagesIn('C0PUBLIC')[before], 15_000);
    expect(textOf(card.blocks)).toContain('Impossible travel for the CFO');
    const number = Number(/#(\d+) · /.exec(textOf(card.blocks))![1]);
    await until('linked', async () => Boolean((await mirrorOf(number))?.writer), 15_000);
    expect(await caseNow(number)).toMatchObject({ title: 'Impossible travel for the CFO', description: 'Seen by the identity rule.', severity: 'high', status: 'in-progress', tags: ['identity'] });
    // No second case in Kibana: the one born there carries the marker now, its text unchanged.
    expect(kibana.cases()).toHaveLength(1);
    const marked = readCaseDescription(kibana.getCase(born.id)!.description);
    expect(marked).toMatchObject({ description: 'Seen by the identity rule.', data: { origin: { channelId: 'C0PUBLIC' } } });

    await runCommand(harness, `comment ${number} Called the CFO: not travelling`);
    await anaChanges(born.id, () => ({ severity: 'critical' }));
    await until('both ways', async () => kibana.comments(born.id).length === 1 && (await caseNow(number)).severity === 'critical', 20_000);
    expect(kibana.comments(born.id)[0]).toMatchObject({ comment: 'Called the CFO: not travelling' });

    const again = await runCommand(harness, `link ${born.id}`);
    expect(String(again.text)).toMatch(new RegExp(`already mirrored as case #${number}.*nothing changed`));
    expect((await fromStore(harness, (store) => store.findCases({ teamId: TEAM, visibleTo: { publicChannels: true, privateChannelIds: [] }, limit: 10 }))).cases).toHaveLength(1);
  });

  test('an unknown Kibana case, or something that is not one, gets a clear reply and nothing is opened', async () => {
    expect(String((await runCommand(harness, 'link 7d1f0000-0000-0000-0000-000000000000')).text)).toContain('Not linked: Kibana has no case `7d1f0000-0000-0000-0000-000000000000` in this space');
    expect(String((await runCommand(harness, 'link https://example.com/not/a/case?x=1')).text)).toContain('Not linked: give a Kibana case URL');
    expect(String((await runCommand(harness, 'link')).text)).toContain('`/case link` takes one Kibana case');
    kibana.down();
    expect(String((await runCommand(harness, 'link 7d1f0000-0000-0000-0000-000000000001')).text)).toMatch(/Not linked: Kibana could not be asked for the case \(Kibana answered 503/);
    kibana.up();
    expect(kibana.cases()).toHaveLength(0);
    expect(harness.emulator.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
