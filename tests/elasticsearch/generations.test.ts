import type { Client } from '@elastic/elasticsearch';
import type { Attachment } from '../../src/cases/model';
import { createCaseAction } from '../../src/cases/user-actions';
import { attachmentKind } from '../../src/storage/elasticsearch/child-kinds';
import { childSource } from '../../src/storage/elasticsearch/child-documents';
import type { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { draftCase } from '../contract/case-store-contract';
import { analyst, commentWrite, createCase } from './support/case-fixtures';
import { describeWithElasticsearch, eachTestWithInstallation } from './support/test-cluster';

/** replaceCase makes a new generation of the case; what the old one had disappears at once and is then deleted. */
describeWithElasticsearch('Elasticsearch store: replaced cases', () => {
  let store: ElasticsearchCaseStore;
  let admin: Client;

  eachTestWithInstallation('generations', (installation) => {
    ({ store, admin } = installation);
  });

  const event = (caseId: string, ts: string, id: string): Attachment => ({
    ...commentWrite({ ...draftCase(), id: caseId, number: 1, version: 1 }, 'x', id).write.addAttachments![0]!,
    type: 'event',
    data: { message: { teamId: 'T0001', channel: { id: 'C0PUBLIC', isPrivate: false }, ts, author: { id: 'U0BOB' }, text: 'x', files: [], edited: false } },
  });

  async function storedChildren(caseId: string): Promise<string[]> {
    const { attachments, userActions } = store.indices;
    await admin.indices.refresh({ index: [attachments, userActions] });
    const response = await admin.search<{ id: string }>({ index: [attachments, userActions], query: { term: { case_id: caseId } }, size: 100 });
    return response.hits.hits.map((hit) => hit._source!.id).sort();
  }

  test('the old generation is invisible at once and deleted afterwards', async () => {
    const original = await createCase(store);
    const oldEvent = event(original.id, '1700000000.000100', 'old-event');
    const withEvent = await store.updateCase({ ...original, updatedAt: new Date().toISOString() }, original.version, { addAttachments: [oldEvent] });
    const reimported = { ...draftCase({ title: 'reimported' }), id: original.id };
    const action = createCaseAction(reimported, analyst, reimported.createdAt);
    const newEvent = event(original.id, '1700000000.000200', 'new-event');

    const replaced = await store.replaceCase(reimported, { actions: [action], addAttachments: [newEvent] });

    expect(replaced).toMatchObject({ number: original.number, version: withEvent.version + 1, title: 'reimported' });
    expect(await store.getAttachment(original.id, oldEvent.id)).toBeNull();
    expect(await store.findMessageAttachments('T0001', 'C0PUBLIC', '1700000000.000100')).toEqual([]);
    expect(await store.findMessageAttachments('T0001', 'C0PUBLIC', '1700000000.000200')).toEqual([{ caseId: original.id, attachment: newEvent }]);
    expect(await storedChildren(original.id)).toEqual([action.id, newEvent.id].sort());
  });

  test('a document the old generation left behind gives its id up to a new child', async () => {
    const theCase = await createCase(store, { title: 'replaced twice' });
    const reimported = { ...theCase, title: 'reimported' };
    const current = await store.replaceCase(reimported);
    // As a crash right after the replacing commit would leave it: an attachment of the previous generation.
    const leftover = event(theCase.id, '1700000000.000300', 'leftover');
    const attachments = attachmentKind(store.indices.attachments);
    await admin.index({ index: store.indices.attachments, id: leftover.id, document: childSource(attachments, { committed: leftover, position: { case_version: 1, ordinal: 0 } }), refresh: true });
    expect(await store.listAttachments(theCase.id, { limit: 10 })).toEqual([]);
    expect(await store.findMessageAttachments('T0001', 'C0PUBLIC', '1700000000.000300')).toEqual([]);

    const again = { ...leftover, data: { ...leftover.data, note: 'attached again' } };
    const next = { ...current, updatedAt: new Date().toISOString() };
    await expect(store.updateCase(next, current.version, { addAttachments: [again] })).resolves.toEqual({ ...next, version: current.version + 1 });
    expect(await store.listAttachments(theCase.id, { limit: 10 })).toEqual([again]);
  });
});
