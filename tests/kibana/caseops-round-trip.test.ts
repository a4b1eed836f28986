import { readCaseDescription } from '../../src/kibana/case-marker';
import { KIBANA_TARGETS } from '../../src/kibana/export/versions';
import { summarizeImport } from '../../src/kibana/import/import-log';
import { exportText, importText, parseLines, TEAM, unitsAsExportInput } from './support/files';
import { CASE_ID, PROFILE_UIDS, richAttachments, richCase, richExportInput, richUserActions } from './support/rich-case';

/** caseops → Kibana file → caseops loses nothing, and the file caseops writes again is byte-identical. */
describe.each(KIBANA_TARGETS)('a rich caseops case through a Kibana %s file', (target) => {
  const options = { target, profileUids: PROFILE_UIDS };

  async function throughFile() {
    const first = await exportText([richExportInput()], options);
    const imported = await importText(first, { profileUids: PROFILE_UIDS });
    return { first, imported, unit: imported.units[0] };
  }

  it('exports, imports and exports again byte for byte', async () => {
    const { first, imported } = await throughFile();
    expect(imported.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(await exportText(unitsAsExportInput(imported), options)).toBe(first);
  });

  it('restores the case: Slack origin with its card, assignees mapped, unmapped and Kibana-only, actors, description', async () => {
    const { unit } = await throughFile();
    const original = richCase();
    const { number: _number, version: _version, assignees, ...rest } = original;
    expect(unit?.case).toEqual({ ...rest, assignees: expect.any(Array) });
    expect(unit?.case.origin).toEqual(original.origin);
    // Kibana holds mapped and unmapped assignees in different places, so their order may change.
    expect([...(unit?.case.assignees ?? [])].sort()).toEqual([...assignees].sort());
  });

  it('restores every attachment with its exact data, type, author and times', async () => {
    const { unit } = await throughFile();
    expect(unit?.attachments).toEqual(richAttachments());
  });

  it('restores every user action (payloads in Kibana’s form)', async () => {
    const { unit } = await throughFile();
    const originals = richUserActions();
    expect(unit?.userActions.map((action) => [action.id, action.type, action.action, action.attachmentId, action.createdAt, action.createdBy])).toEqual(
      originals.map((action) => [action.id, action.type, action.action, action.attachmentId, action.createdAt, action.createdBy]),
    );
    const create = unit?.userActions.find((action) => action.type === 'create_case');
    expect(create?.payload.assignees).toEqual([{ uid: 'U0ALICE' }, { uid: 'U0BOB' }]);
  });

  it('counts every object as ready', async () => {
    const { imported } = await throughFile();
    const summary = summarizeImport(imported);
    const comments = target === '9.2' ? 12 : 11;
    expect(summary).toMatchObject({ refused: false, cases: { inFile: 1, ready: 1 }, comments: { inFile: comments, ready: comments }, userActions: { inFile: 12, ready: 12 } });
  });
});

describe('where caseops’ own data goes in the file', () => {
  it('writes unmapped Slack assignees as tags, mapped ones as profile uids, and the origin in the description marker', async () => {
    const [theCase] = parseLines(await exportText([richExportInput()], { profileUids: PROFILE_UIDS })) as any[];
    expect(theCase.attributes.assignees).toEqual([{ uid: 'u_alice_profile_0' }, { uid: 'u_kibana_only_0' }]);
    expect(theCase.attributes.tags).toEqual(['phishing', 'finance', 'slack-assignee:U0BOB']);
    const read = readCaseDescription(theCase.attributes.description);
    expect(read.description).toBe(richCase().description);
    expect(read.data?.origin).toEqual(richCase().origin);
    expect(theCase.attributes.created_by).toEqual({ username: `slack:${TEAM}:U0ALICE`, full_name: 'Alice Analyst', email: null, profile_uid: 'u_alice_profile_0' });
  });

  it('without a profile map every Slack assignee becomes a tag, and still comes back as an assignee', async () => {
    const first = await exportText([richExportInput()]);
    const [theCase] = parseLines(first) as any[];
    expect(theCase.attributes.assignees).toEqual([{ uid: 'u_kibana_only_0' }]);
    expect(theCase.attributes.tags).toEqual(['phishing', 'finance', 'slack-assignee:U0ALICE', 'slack-assignee:U0BOB']);
    const imported = await importText(first);
    expect(imported.units[0]?.case.assignees.sort()).toEqual(['U0ALICE', 'U0BOB', 'kibana:u_kibana_only_0']);
    expect(imported.units[0]?.case.tags).toEqual(['phishing', 'finance']);
    expect(await exportText(unitsAsExportInput(imported))).toBe(first);
  });

  it('writes a Slack message with a document as Kibana’s event attachment on 9.2, with its snapshot next to it', async () => {
    const objects = parseLines(await exportText([richExportInput()], { target: '9.2' })) as any[];
    const event = objects.find((object) => object.id === 'a0000001-0000-4000-8000-000000000002');
    expect(event.attributes).toMatchObject({ type: 'event', eventId: 'doc-1', index: 'logs-caseops.slack-default' });
    const snapshot = objects.find((object) => object.type === 'cases-comments' && String(object.attributes.comment).includes('"of":"a0000001-0000-4000-8000-000000000002"'));
    expect(snapshot.attributes.comment).toMatch(/^\*\*Slack message from Carol\*\* in #soc-incidents \(private channel\)/);
    expect(snapshot.references).toEqual([{ id: CASE_ID, name: 'associated-cases', type: 'cases' }]);
  });

  it('writes the same message as a quoting comment for a Kibana without event attachments', async () => {
    const objects = parseLines(await exportText([richExportInput()], { target: '8.11' })) as any[];
    const event = objects.find((object) => object.id === 'a0000001-0000-4000-8000-000000000002');
    expect(event.attributes.type).toBe('user');
    expect(event.attributes.comment).toContain('> Got this:\n> > Pay invoice now');
    expect(event.attributes.comment).toContain('[Open in Slack](https://acme.slack.com/archives/G0SECRET/p1795770060000200)');
  });

  it('writes Timelines as Kibana’s Timeline link and charts as markdown with range, table and spec', async () => {
    const objects = parseLines(await exportText([richExportInput()])) as any[];
    const comment = (id: string) => String(objects.find((object) => object.id === id).attributes.comment);
    expect(comment('a0000001-0000-4000-8000-000000000007')).toMatch(/^\[Mail \\\[flow\\\]\]\(https:\/\/kibana\.acme\.io\/s\/soc\/app\/security\/timelines\?timeline=\(id:'tl-1',isOpen:!t\)\)/);
    expect(comment('a0000001-0000-4000-8000-000000000008')).toMatch(/^\[Timeline\]\(https:\/\/kibana\.acme\.io\/s\/soc\/app\/security\/timelines\?timeline=\(id:'t!'2!!',isOpen:!t\)\)/);
    const chart = comment('a0000001-0000-4000-8000-000000000009');
    expect(chart).toContain('**Chart: Case #42 activity**');
    expect(chart).toContain('From 2026-11-26T09:00:00.000Z to 2026-11-27T09:00:00.000Z');
    expect(chart).toContain('| 09:00 | 3 |');
    expect(chart).toContain('```json\n{\n  "kind": "activity"');
  });

  it('writes indicators as Kibana’s threat-intel external reference', async () => {
    const objects = parseLines(await exportText([richExportInput()])) as any[];
    const manual = objects.find((object) => object.id === 'a0000001-0000-4000-8000-000000000006');
    expect(manual.attributes).toMatchObject({
      type: 'externalReference',
      externalReferenceAttachmentTypeId: 'indicator',
      externalReferenceId: 'a0000001-0000-4000-8000-000000000006',
      externalReferenceStorage: { type: 'elasticSearchDoc' },
      externalReferenceMetadata: { indicatorName: richAttachments()[5]?.data.value, indicatorType: 'file', indicatorFeedName: '-' },
    });
  });

  it('imports a caseops comment edited in Kibana as the plain comment it now is, with a note', async () => {
    const edited = (await exportText([richExportInput()])).replace('**Chart: Case #42 activity**', '**Chart (edited in Kibana)**');
    const imported = await importText(edited);
    const chart = imported.units[0]?.attachments.find((attachment) => attachment.id === 'a0000001-0000-4000-8000-000000000009');
    expect(chart?.type).toBe('user');
    expect(String(chart?.data.comment)).toContain('**Chart (edited in Kibana)**');
    expect(imported.problems.map((problem) => problem.code)).toContain('damaged_marker');
    expect(await exportText(unitsAsExportInput(imported))).toBe(edited);
  });
});
