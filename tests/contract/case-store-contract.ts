import { randomUUID } from 'node:crypto';
import { DuplicateAttachmentError, VersionConflictError } from '../../src/cases/errors';
import { type Actor, type Attachment, type Case, emptyTotals, type UserAction } from '../../src/cases/model';
import type { CaseStore, UnnumberedCase } from '../../src/cases/store';
import { createCaseAction } from '../../src/cases/user-actions';

/**
 * The behaviour every CaseStore must have. Each store's test file calls this with a factory that gives a
 * fresh, empty store; the assertions are the same for all of them.
 */
export interface StoreFactory {
  create(): Promise<CaseStore>;
  /** A second store object on the storage of `store` (another replica); closed, not dropped, by the suite. */
  another(store: CaseStore): Promise<CaseStore>;
  /** Drops whatever `create` made (files, indices). */
  destroy(store: CaseStore): Promise<void>;
}

const alice: Actor = { userId: 'U0ALICE', teamId: 'T0001', name: 'alice' };

let clock = Date.parse('2026-11-01T00:00:00Z');
/** Strictly increasing times, so "newest first" has one right answer. */
function tick(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

export function draftCase(overrides: Partial<UnnumberedCase> & { channelId?: string; isPrivate?: boolean } = {}): UnnumberedCase {
  const { channelId = 'C0PUBLIC', isPrivate = false, ...rest } = overrides;
  const at = tick();
  return {
    id: randomUUID(),
    teamId: 'T0001',
    title: 'Suspicious login',
    description: '',
    status: 'open',
    severity: 'low',
    tags: [],
    assignees: [],
    owner: 'securitySolution',
    settings: { syncAlerts: true },
    createdAt: at,
    createdBy: alice,
    updatedAt: null,
    updatedBy: null,
    closedAt: null,
    closedBy: null,
    duration: null,
    origin: { teamId: 'T0001', channelId, isPrivate },
    totals: emptyTotals(),
    ...rest,
  };
}

async function create(store: CaseStore, overrides: Parameters<typeof draftCase>[0] = {}): Promise<Case> {
  const draft = draftCase(overrides);
  return (await store.createCase(draft, { actions: [createCaseAction(draft, alice, draft.createdAt)] })).case;
}

function touched(theCase: Case, changes: Partial<Case>): Case {
  return { ...theCase, ...changes, updatedAt: tick(), updatedBy: alice };
}

function commentAction(theCase: Case, attachmentId: string): UserAction {
  return {
    id: randomUUID(),
    caseId: theCase.id,
    type: 'comment',
    action: 'create',
    payload: { comment: { type: 'user', comment: 'hello' } },
    attachmentId,
    createdAt: tick(),
    createdBy: alice,
    owner: theCase.owner,
  };
}

export function describeCaseStoreContract(name: string, factory: StoreFactory): void {
  describe(`CaseStore contract: ${name}`, () => {
    let store: CaseStore;

    beforeEach(async () => {
      store = await factory.create();
      await store.init();
    });

    afterEach(async () => {
      await factory.destroy(store);
    });

    test('init is idempotent and the store reports healthy', async () => {
      await store.init();
      await expect(store.health()).resolves.toEqual({ ok: true });
    });

    test('numbers cases per team from 1, without gaps', async () => {
      const first = await create(store);
      const second = await create(store);
      const otherTeam = await create(store, { teamId: 'T0002', origin: { teamId: 'T0002', channelId: 'C1', isPrivate: false } });
      expect([first.number, second.number, otherTeam.number]).toEqual([1, 2, 1]);
      expect(first.version).toBe(1);
    });

    test('onCommit is told the case each write committed, once, and nothing of a write that did not commit', async () => {
      const told: Case[] = [];
      const onCommit = (committed: Case) => told.push(committed);
      const draft = draftCase();
      const { case: created } = await store.createCase(draft, { onCommit });
      await store.createCase(draft, { onCommit }); // the case is there already: this call committed nothing
      const updated = await store.updateCase(touched(created, { severity: 'high' }), created.version, { onCommit });
      await expect(store.updateCase(touched(created, { severity: 'low' }), created.version, { onCommit })).rejects.toBeInstanceOf(VersionConflictError);
      const replaced = await store.replaceCase({ ...draft, title: 'Replaced' }, { onCommit });
      expect(told).toEqual([created, updated, replaced]);
    });

    test('concurrent creations get distinct numbers', async () => {
      const created = await Promise.all(Array.from({ length: 25 }, () => create(store)));
      expect(new Set(created.map((c) => c.number)).size).toBe(25);
      expect(Math.max(...created.map((c) => c.number))).toBe(25);
    });

    test('reads a case back by number and by id, equal to what was written', async () => {
      const created = await create(store, { title: 'Beacon to 203.0.113.7', tags: ['phishing', 'vip'], assignees: ['U0BOB'], severity: 'high' });
      expect(await store.getCase('T0001', { number: created.number })).toEqual(created);
      expect(await store.getCase('T0001', { id: created.id })).toEqual(created);
    });

    test('a case of another team is not found by number', async () => {
      const created = await create(store);
      expect(await store.getCase('T0OTHER', { number: created.number })).toBeNull();
      expect(await store.getCase('T0001', { number: 999_999 })).toBeNull();
    });

    test('records the create_case user action with the case', async () => {
      const created = await create(store);
      const actions = await store.listUserActions(created.id, { limit: 10 });
      expect(actions).toHaveLength(1);
      expect(actions[0]).toMatchObject({ type: 'create_case', action: 'create', caseId: created.id, createdBy: alice });
    });

    test('updates with the expected version and increments it', async () => {
      const created = await create(store);
      const updated = await store.updateCase(touched(created, { status: 'in-progress' }), created.version);
      expect(updated.version).toBe(created.version + 1);
      expect((await store.getCase('T0001', { id: created.id }))?.status).toBe('in-progress');
    });

    test('refuses a stale version and writes nothing of that change', async () => {
      const created = await create(store);
      await store.updateCase(touched(created, { severity: 'high' }), created.version);
      const stale = touched(created, { severity: 'critical' });
      const attachmentId = randomUUID();
      await expect(store.updateCase(stale, created.version, { actions: [commentAction(created, attachmentId)] })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect((await store.getCase('T0001', { id: created.id }))?.severity).toBe('high');
      expect(await store.listUserActions(created.id, { limit: 10 })).toHaveLength(1);
    });

    test('of two concurrent updates from the same version exactly one wins', async () => {
      const created = await create(store);
      const results = await Promise.allSettled([
        store.updateCase(touched(created, { status: 'closed' }), created.version),
        store.updateCase(touched(created, { status: 'in-progress' }), created.version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflictError)).toHaveLength(1);
    });

    test('creating a case again with the same id returns it and writes nothing more', async () => {
      const draft = draftCase({ title: 'from a modal submitted twice' });
      const write = () => ({ actions: [createCaseAction(draft, alice, draft.createdAt)] });
      const results = await Promise.all([store.createCase(draft, write()), store.createCase(draft, write())]);
      expect(results.map((result) => result.created).sort()).toEqual([false, true]);
      expect(results[1]!.case).toEqual(results[0]!.case);
      const first = results[0]!.case;
      expect((await store.findCases({ teamId: 'T0001', limit: 10 })).total).toBe(1);
      expect(await store.listUserActions(first.id, { limit: 10 })).toHaveLength(1);
      expect((await create(store)).number).toBe(2);
    });

    describe('attachments', () => {
      let theCase: Case;
      const attachment = (type: Attachment['type'], id: string = randomUUID()): Attachment => ({
        id,
        caseId: theCase.id,
        type,
        data: { comment: `a ${type}` },
        createdAt: tick(),
        createdBy: alice,
        updatedAt: null,
        updatedBy: null,
        owner: 'securitySolution',
      });

      beforeEach(async () => {
        theCase = await create(store);
      });

      test('are written with the update, newest first, filtered by type, paged', async () => {
        const comment = attachment('user');
        const alert = attachment('alert');
        const event = attachment('event');
        await store.updateCase(touched(theCase, { totals: { ...emptyTotals(), user: 1, alert: 1, event: 1 } }), theCase.version, {
          addAttachments: [comment, alert, event],
        });
        expect(await store.listAttachments(theCase.id, { limit: 10 })).toEqual([event, alert, comment]);
        expect(await store.listAttachments(theCase.id, { limit: 10, types: ['user'] })).toEqual([comment]);
        expect(await store.listAttachments(theCase.id, { limit: 1, offset: 1 })).toEqual([alert]);
        expect(await store.getAttachment(theCase.id, alert.id)).toEqual(alert);
        expect(await store.getAttachment(theCase.id, randomUUID())).toBeNull();
        expect((await store.getCase('T0001', { id: theCase.id }))?.totals).toMatchObject({ user: 1, alert: 1, event: 1 });
      });

      test('a duplicate attachment id fails the whole write', async () => {
        const first = attachment('event', randomUUID());
        const current = await store.updateCase(touched(theCase, {}), theCase.version, { addAttachments: [first] });
        const again = attachment('event', first.id);
        await expect(
          store.updateCase(touched(current, { severity: 'critical' }), current.version, {
            actions: [commentAction(current, again.id)],
            addAttachments: [attachment('user'), again],
          }),
        ).rejects.toBeInstanceOf(DuplicateAttachmentError);
        expect((await store.getCase('T0001', { id: theCase.id }))?.severity).toBe('low');
        expect(await store.listAttachments(theCase.id, { limit: 10 })).toEqual([first]);
        expect(await store.listUserActions(theCase.id, { limit: 10 })).toHaveLength(1);
      });

      test('a creation refused for a duplicate attachment id takes no number', async () => {
        const first = attachment('event');
        await store.updateCase(touched(theCase, {}), theCase.version, { addAttachments: [first] });
        const refused = draftCase();
        await expect(store.createCase(refused, { addAttachments: [{ ...first, caseId: refused.id }] })).rejects.toBeInstanceOf(DuplicateAttachmentError);
        expect(await store.getCase('T0001', { id: refused.id })).toBeNull();
        expect((await create(store)).number).toBe(theCase.number + 1);
      });

      test('events are found by the Slack message they snapshot, across cases', async () => {
        const message = (ts: string) => ({ teamId: 'T0001', channel: { id: 'C0PUBLIC', isPrivate: false }, ts, author: { id: 'U0BOB' }, text: 'x', files: [], edited: false });
        const event = { ...attachment('event'), data: { message: message('1700000000.000100') } };
        const other = { ...attachment('event'), data: { message: message('1700000000.000200') } };
        await store.updateCase(touched(theCase, {}), theCase.version, { addAttachments: [event, other, attachment('user')] });
        const second = await create(store);
        const sameMessage = { ...event, id: randomUUID(), caseId: second.id };
        await store.updateCase(touched(second, {}), second.version, { addAttachments: [sameMessage] });
        const found = await store.findMessageAttachments('T0001', 'C0PUBLIC', '1700000000.000100');
        expect(found.map((f) => [f.caseId, f.attachment.id]).sort()).toEqual([[theCase.id, event.id], [second.id, sameMessage.id]].sort());
        expect(await store.findMessageAttachments('T0002', 'C0PUBLIC', '1700000000.000100')).toEqual([]);
        const edited = { ...event, data: { message: { ...message('1700000000.000100'), text: 'edited', edited: true } } };
        const current = (await store.getCase('T0001', { id: theCase.id }))!;
        await store.updateCase(touched(current, {}), current.version, { replaceAttachments: [edited] });
        expect((await store.findMessageAttachments('T0001', 'C0PUBLIC', '1700000000.000100')).find((f) => f.caseId === theCase.id)?.attachment).toEqual(edited);
      });

      test('of several cases are read together, each case\'s as listAttachments and listUserActions give them', async () => {
        const comment = attachment('user');
        const alert = attachment('alert');
        // Two writes: the children of the last commit and those of an earlier one.
        const first = await store.updateCase(touched(theCase, {}), theCase.version, { actions: [commentAction(theCase, comment.id)], addAttachments: [comment] });
        await store.updateCase(touched(first, {}), first.version, { actions: [commentAction(first, alert.id)], addAttachments: [alert] });
        const replaced = await create(store);
        await store.updateCase(touched(replaced, {}), replaced.version, { addAttachments: [{ ...attachment('user'), caseId: replaced.id }] });
        const replacement = { ...draftCase({ title: 'imported' }), id: replaced.id };
        const kept = { ...attachment('event'), caseId: replaced.id };
        await store.replaceCase(replacement, { actions: [createCaseAction(replacement, alice, replacement.createdAt)], addAttachments: [kept] });
        const bare = await create(store);
        const otherTeams = (await store.createCase({ ...draftCase(), teamId: 'T0002' })).case;

        const children = await store.listChildren('T0001', [theCase.id, replaced.id, bare.id, otherTeams.id, randomUUID(), theCase.id]);
        expect([...children.keys()].sort()).toEqual([theCase.id, replaced.id, bare.id].sort());
        for (const id of [theCase.id, replaced.id, bare.id]) {
          expect(children.get(id)).toEqual({
            attachments: await store.listAttachments(id, { limit: 100 }),
            userActions: await store.listUserActions(id, { limit: 100 }),
          });
        }
        expect(children.get(theCase.id)!.attachments).toEqual([alert, comment]);
        expect(children.get(theCase.id)!.userActions).toHaveLength(3);
        expect(children.get(replaced.id)).toMatchObject({ attachments: [kept], userActions: [{ type: 'create_case' }] });
        expect(children.get(bare.id)!.attachments).toEqual([]);
        expect(await store.listChildren('T0001', [])).toEqual(new Map());
      });

      test('are replaced whole', async () => {
        const original = attachment('event');
        const current = await store.updateCase(touched(theCase, {}), theCase.version, { addAttachments: [original] });
        const edited = { ...original, data: { text: 'edited' }, updatedAt: tick(), updatedBy: alice };
        await store.updateCase(touched(current, {}), current.version, { replaceAttachments: [edited] });
        expect(await store.getAttachment(theCase.id, original.id)).toEqual(edited);
      });
    });

    test('user actions come back newest first, limited', async () => {
      const created = await create(store);
      let current = created;
      for (let i = 0; i < 5; i += 1) {
        current = await store.updateCase(touched(current, {}), current.version, { actions: [commentAction(current, randomUUID())] });
      }
      const actions = await store.listUserActions(created.id, { limit: 3 });
      expect(actions).toHaveLength(3);
      const times = actions.map((a) => a.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
    });

    test('replacing a case swaps it and everything it had, atomically, keeping its number', async () => {
      const first = await create(store, { title: 'before' });
      const second = await create(store);
      const oldComment = { id: randomUUID(), caseId: first.id, type: 'user' as const, data: { comment: 'old' }, createdAt: tick(), createdBy: alice, updatedAt: null, updatedBy: null, owner: 'securitySolution' as const };
      await store.updateCase(touched(first, {}), first.version, { addAttachments: [oldComment] });
      const replacement = { ...draftCase({ title: 'after', tags: ['imported'] }), id: first.id };
      const newComment = { ...oldComment, id: randomUUID(), data: { comment: 'new' } };
      const replaced = await store.replaceCase(replacement, { actions: [createCaseAction(replacement, alice, replacement.createdAt)], addAttachments: [newComment] });
      expect(replaced).toMatchObject({ id: first.id, number: first.number, title: 'after', tags: ['imported'] });
      expect(await store.listAttachments(first.id, { limit: 10 })).toEqual([newComment]);
      expect((await store.listUserActions(first.id, { limit: 10 })).map((a) => a.type)).toEqual(['create_case']);
      expect((await store.findCases({ teamId: 'T0001', tag: 'imported', limit: 10 })).cases.map((c) => c.id)).toEqual([first.id]);
      const fresh = await store.replaceCase({ ...draftCase({ title: 'brand new' }), id: randomUUID() });
      expect(fresh.number).toBe(second.number + 1);
      expect((await store.findCases({ teamId: 'T0001', orderBy: 'number', limit: 10 })).cases.map((c) => c.number)).toEqual([1, 2, 3]);
    });

    test('drafts are saved, replaced, read back, and gone once expired', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      await store.saveDraft({ id: 'd1', teamId: 'T0001', data: { text: 'first' }, expiresAt: later });
      await store.saveDraft({ id: 'd1', teamId: 'T0001', data: { text: 'second', nested: { files: [1, 2] } }, expiresAt: later });
      expect(await store.getDraft('d1')).toEqual({ id: 'd1', teamId: 'T0001', data: { text: 'second', nested: { files: [1, 2] } }, expiresAt: later });
      await store.saveDraft({ id: 'd2', teamId: 'T0001', data: {}, expiresAt: new Date(Date.now() - 1000).toISOString() });
      expect(await store.getDraft('d2')).toBeNull();
      expect(await store.getDraft('missing')).toBeNull();
    });

    describe('read-your-writes across two store objects (replicas) on the same storage', () => {
      let other: CaseStore;

      beforeEach(async () => {
        other = await factory.another(store);
        await other.init();
      });

      afterEach(async () => {
        await other.close();
      });

      const titles = (page: { cases: Case[] }) => page.cases.map((c) => c.title);

      test('a case opened on one is at once found on the other: by number, in lists, by the picker, in the export', async () => {
        const created = await create(store, { title: 'Beacon from ws-114', channelId: 'G0SECRET', isPrivate: true });
        expect(await other.getCase('T0001', { number: created.number })).toEqual(created);
        expect(await other.listPrivateChannelIds('T0001')).toEqual(['G0SECRET']);
        expect(titles(await other.findCases({ teamId: 'T0001', visibleTo: { publicChannels: true, privateChannelIds: ['G0SECRET'] }, limit: 10 }))).toEqual([created.title]);
        expect(titles(await other.findCases({ teamId: 'T0001', search: 'beac', limit: 10 }))).toEqual([created.title]);
        const scanned: Case[] = [];
        for await (const page of other.scanCases({ teamId: 'T0001' })) scanned.push(...page);
        expect(scanned).toEqual([created]);
        expect((await other.listUserActions(created.id, { limit: 10 })).map((a) => a.type)).toEqual(['create_case']);
      });

      test('a war room recorded on one finds its case on the other at once; a room given up finds nothing', async () => {
        const created = await create(store, { title: 'Beacon from ws-114' });
        const roomed = await store.updateCase({ ...created, room: { channelId: 'C0ROOM1', name: 'case-1-beacon' } }, created.version);
        expect(titles(await other.findCases({ teamId: 'T0001', roomChannelId: 'C0ROOM1', limit: 2 }))).toEqual([created.title]);
        expect(titles(await other.findCases({ teamId: 'T0002', roomChannelId: 'C0ROOM1', limit: 2 }))).toEqual([]);
        const { room: _room, ...without } = roomed;
        await store.updateCase(without, roomed.version);
        expect(titles(await other.findCases({ teamId: 'T0001', roomChannelId: 'C0ROOM1', limit: 2 }))).toEqual([]);
      });

      test('each of quick changes on one is at once in the other\'s lists, children included', async () => {
        const created = await create(store, { title: 'Beacon from ws-114' });
        const first = await store.updateCase(touched(created, { status: 'in-progress' }), created.version, { actions: [commentAction(created, randomUUID())] });
        expect(titles(await other.findCases({ teamId: 'T0001', statuses: ['in-progress'], limit: 10 }))).toEqual([created.title]);
        const second = await store.updateCase(touched(first, { title: 'Credential stuffing', status: 'closed' }), first.version, { actions: [commentAction(first, randomUUID())] });
        expect(titles(await other.findCases({ teamId: 'T0001', statuses: ['in-progress'], limit: 10 }))).toEqual([]);
        expect(titles(await other.findCases({ teamId: 'T0001', search: 'stuff', limit: 10 }))).toEqual(['Credential stuffing']);
        expect(await other.getCase('T0001', { number: created.number })).toEqual(second);
        // The first change's action is no longer on the case's last commit: it is found by searching.
        expect(await other.listUserActions(created.id, { limit: 10 })).toHaveLength(3);
      });

      test("each change on one is at once in the other's children of several cases", async () => {
        const created = await create(store);
        const bare = await create(store);
        let current = created;
        for (const type of ['user', 'alert'] as const) {
          const added: Attachment = { id: randomUUID(), caseId: created.id, type, data: { comment: type }, createdAt: tick(), createdBy: alice, updatedAt: null, updatedBy: null, owner: 'securitySolution' };
          current = await store.updateCase(touched(current, {}), current.version, { actions: [commentAction(current, added.id)], addAttachments: [added] });
          const children = await other.listChildren('T0001', [created.id, bare.id]);
          expect(children.get(created.id)).toEqual({ attachments: await store.listAttachments(created.id, { limit: 10 }), userActions: await store.listUserActions(created.id, { limit: 10 }) });
          expect(children.get(created.id)!.attachments[0]).toEqual(added);
          expect(children.get(bare.id)!.userActions.map((action) => action.type)).toEqual(['create_case']);
        }
      });

      test('attachments of one change after another are at once listed and found by message on the other', async () => {
        const created = await create(store);
        const message = { teamId: 'T0001', channel: { id: 'C0PUBLIC', isPrivate: false }, ts: '1700000000.000300', author: { id: 'U0BOB' }, text: 'x', files: [], edited: false };
        const event: Attachment = { id: randomUUID(), caseId: created.id, type: 'event', data: { message }, createdAt: tick(), createdBy: alice, updatedAt: null, updatedBy: null, owner: 'securitySolution' };
        const comment: Attachment = { ...event, id: randomUUID(), type: 'user', data: { comment: 'seen it' }, createdAt: tick() };
        const first = await store.updateCase(touched(created, {}), created.version, { addAttachments: [event] });
        await store.updateCase(touched(first, {}), first.version, { addAttachments: [comment] });
        expect(await other.listAttachments(created.id, { limit: 10 })).toEqual([comment, event]);
        expect(await other.findMessageAttachments('T0001', 'C0PUBLIC', message.ts)).toEqual([{ caseId: created.id, attachment: event }]);
      });
    });

    describe('finding cases', () => {
      let cases: Case[];

      beforeEach(async () => {
        cases = [
          await create(store, { title: 'one', tags: ['phishing'], severity: 'low' }),
          await create(store, { title: 'two', assignees: ['U0BOB'], severity: 'high' }),
          await create(store, { title: 'three', channelId: 'G0SECRET', isPrivate: true, severity: 'critical' }),
          await create(store, { title: 'four', channelId: 'G0OTHER', isPrivate: true, tags: ['phishing'] }),
        ];
        cases[0] = await store.updateCase(touched(cases[0]!, { status: 'closed' }), cases[0]!.version);
      });

      const titles = (page: { cases: Case[] }) => page.cases.map((c) => c.title);

      test('newest activity first, with the total', async () => {
        const page = await store.findCases({ teamId: 'T0001', limit: 10 });
        expect(titles(page)).toEqual(['one', 'four', 'three', 'two']);
        expect(page.total).toBe(4);
      });

      test('by status, severity, tag and assignee', async () => {
        expect(titles(await store.findCases({ teamId: 'T0001', statuses: ['closed'], limit: 10 }))).toEqual(['one']);
        expect(titles(await store.findCases({ teamId: 'T0001', severities: ['high', 'critical'], limit: 10 }))).toEqual(['three', 'two']);
        expect(titles(await store.findCases({ teamId: 'T0001', tag: 'phishing', limit: 10 }))).toEqual(['one', 'four']);
        expect(titles(await store.findCases({ teamId: 'T0001', assignee: 'U0BOB', limit: 10 }))).toEqual(['two']);
        expect(titles(await store.findCases({ teamId: 'T0001', statuses: [], limit: 10 }))).toEqual([]);
      });

      test('visibility: public cases plus the private channels given', async () => {
        const visible = await store.findCases({ teamId: 'T0001', visibleTo: { publicChannels: true, privateChannelIds: ['G0SECRET'] }, limit: 10 });
        expect(titles(visible)).toEqual(['one', 'three', 'two']);
        expect(visible.total).toBe(3);
        const publicOnly = await store.findCases({ teamId: 'T0001', visibleTo: { publicChannels: true, privateChannelIds: [] }, limit: 10 });
        expect(titles(publicOnly)).toEqual(['one', 'two']);
      });

      test('scans every case the query selects, by number', async () => {
        const scanned: Case[] = [];
        for await (const page of store.scanCases({ teamId: 'T0001', tag: 'phishing' })) scanned.push(...page);
        expect(scanned.map((c) => c.title)).toEqual(['one', 'four']);
        for await (const page of store.scanCases({ teamId: 'T0OTHER' })) expect(page).toEqual([]);
      });

      test('pages with limit and offset', async () => {
        const page = await store.findCases({ teamId: 'T0001', limit: 2, offset: 1 });
        expect(titles(page)).toEqual(['four', 'three']);
        expect(page.total).toBe(4);
      });

      test('search: the case number, or every word a prefix of a title word', async () => {
        const extra = await create(store, { title: 'Phishing wave: O365 credential harvest (Ünïcode)' });
        expect(titles(await store.findCases({ teamId: 'T0001', search: String(extra.number), limit: 10 }))).toEqual([extra.title]);
        expect(titles(await store.findCases({ teamId: 'T0001', search: `#${cases[1]!.number}`, limit: 10 }))).toEqual(['two']);
        expect(titles(await store.findCases({ teamId: 'T0001', search: 'cred PHISH', limit: 10 }))).toEqual([extra.title]);
        expect(titles(await store.findCases({ teamId: 'T0001', search: 'ünï', limit: 10 }))).toEqual([extra.title]);
        expect(titles(await store.findCases({ teamId: 'T0001', search: 'arvest', limit: 10 }))).toEqual([]);
        expect(titles(await store.findCases({ teamId: 'T0001', search: 'thr', limit: 10 }))).toEqual(['three']);
        expect((await store.findCases({ teamId: 'T0001', search: '%_', limit: 10 })).total).toBe(5);
      });

      test('search follows a title edit and a replaced case: new words find it, old ones no longer do', async () => {
        const found = async (search: string) => titles(await store.findCases({ teamId: 'T0001', search, limit: 10 }));
        const theCase = await create(store, { title: 'Beacon from ws-114' });
        const renamed = await store.updateCase(touched(theCase, { title: 'Credential stuffing' }), theCase.version);
        expect(await found('beacon')).toEqual([]);
        expect(await found('stuff')).toEqual(['Credential stuffing']);
        await store.replaceCase({ ...draftCase({ title: 'Imported ransomware' }), id: renamed.id });
        expect(await found('cred')).toEqual([]);
        expect(await found('ransom')).toEqual(['Imported ransomware']);
      });

      test('lists the private channels cases come from', async () => {
        expect((await store.listPrivateChannelIds('T0001')).sort()).toEqual(['G0OTHER', 'G0SECRET']);
        expect(await store.listPrivateChannelIds('T0OTHER')).toEqual([]);
      });

      test('a filter value is data, never query syntax', async () => {
        const hostile = ["' OR 1=1 --", '%', '"); DROP TABLE cases; --'];
        for (const value of hostile) {
          expect((await store.findCases({ teamId: 'T0001', tag: value, limit: 10 })).total).toBe(0);
          expect((await store.findCases({ teamId: value, limit: 10 })).total).toBe(0);
        }
        expect((await store.findCases({ teamId: 'T0001', limit: 10 })).total).toBe(4);
      });
    });
  });
}
