import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseNotFoundError, DuplicateAttachmentError, InvalidInputError } from '../../src/cases/errors';
import type { Actor, SlackOrigin } from '../../src/cases/model';
import { type ChannelMembership, VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';

/** Channel membership is Slack's answer; here a fixed table stands in for it (the e2e tests use the emulator). */
const members: Record<string, string[]> = { G0SECRET: ['U0ALICE'] };
const membership: ChannelMembership = { isMember: async (_team, channel, user) => (members[channel] ?? []).includes(user) };

const alice: Actor = { userId: 'U0ALICE', teamId: 'T0001' };
const bob: Actor = { userId: 'U0BOB', teamId: 'T0001' };
const admin: Actor = { userId: 'U0ADMIN', teamId: 'T0001' };
const publicOrigin: SlackOrigin = { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false };
const privateOrigin: SlackOrigin = { teamId: 'T0001', channelId: 'G0SECRET', isPrivate: true };

describe('CaseService', () => {
  let dir: string;
  let store: SqliteCaseStore;
  let service: CaseService;
  let clock: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-service-'));
    store = new SqliteCaseStore(dir);
    await store.init();
    clock = Date.parse('2026-11-28T10:00:00Z');
    service = new CaseService(store, new VisibilityPolicy(membership, ['U0ADMIN']), {
      owner: 'securitySolution',
      now: () => new Date((clock += 1000)),
    });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opens a case with defaults and its create_case action', async () => {
    const { case: created } = await service.openCase(alice, { title: '  Beacon  ', tags: ['c2', 'c2'] }, publicOrigin);
    expect(created).toMatchObject({ number: 1, title: 'Beacon', status: 'open', severity: 'low', tags: ['c2'], owner: 'securitySolution' });
    const [action] = await service.recentHistory(alice, { number: 1 }, 10);
    expect(action).toMatchObject({ type: 'create_case', payload: expect.objectContaining({ title: 'Beacon', status: 'open' }) });
  });

  test.each([
    [{ title: '' }, /needs a title/],
    [{ title: 'x'.repeat(161) }, /at most 160 characters/],
    [{ title: 'ok', severity: 'urgent' }, /Invalid option/],
    [{ title: 'ok', assignees: ['alice'] }, /must be Slack users/],
    [{ title: 'ok', tags: Array.from({ length: 201 }, (_, i) => `t${i}`) }, /at most 200 tags/],
  ])('refuses %j and writes nothing', async (input, message) => {
    await expect(service.openCase(alice, input as never, publicOrigin)).rejects.toThrow(message);
    await expect(service.openCase(alice, input as never, publicOrigin)).rejects.toBeInstanceOf(InvalidInputError);
    expect((await service.listCases(admin, { limit: 10 })).total).toBe(0);
  });

  test('the same idempotency key opens one case', async () => {
    const [a, b] = await Promise.all([
      service.openCase(alice, { title: 'twice' }, publicOrigin, 'V123'),
      service.openCase(alice, { title: 'twice' }, publicOrigin, 'V123'),
    ]);
    expect(a.case.id).toBe(b.case.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await service.listCases(alice, { limit: 10 })).total).toBe(1);
  });

  test('closing records status, closedAt/By and duration; reopening clears them', async () => {
    await service.openCase(alice, { title: 'x' }, publicOrigin);
    const closed = await service.setStatus(bob, { number: 1 }, 'closed');
    expect(closed.case).toMatchObject({ status: 'closed', closedBy: bob, duration: 1 });
    expect(closed.actions).toEqual([expect.objectContaining({ type: 'status', action: 'update', payload: { status: 'closed' } })]);
    const reopened = await service.setStatus(alice, { number: 1 }, 'open');
    expect(reopened.case).toMatchObject({ status: 'open', closedAt: null, closedBy: null, duration: null });
  });

  test('a change to the value the case already has is a no-op with no user action', async () => {
    await service.openCase(alice, { title: 'x', severity: 'high' }, publicOrigin);
    expect((await service.setSeverity(alice, { number: 1 }, 'high')).actions).toEqual([]);
    expect((await service.changeTags(alice, { number: 1 }, { remove: ['absent'] })).actions).toEqual([]);
    expect(await service.recentHistory(alice, { number: 1 }, 10)).toHaveLength(1);
  });

  test('tags and assignees record only what changed, in Kibana’s add/delete form', async () => {
    await service.openCase(alice, { title: 'x', tags: ['a'], assignees: ['U0BOB'] }, publicOrigin);
    const tags = await service.changeTags(alice, { number: 1 }, { add: ['a', 'b'], remove: ['a'] });
    expect(tags.case.tags).toEqual(['b']);
    expect(tags.actions.map((a) => [a.action, a.payload])).toEqual([
      ['add', { tags: ['b'] }],
      ['delete', { tags: ['a'] }],
    ]);
    const assignees = await service.changeAssignees(alice, { number: 1 }, { set: ['U0CAROL'] });
    expect(assignees.actions.map((a) => [a.action, a.payload])).toEqual([
      ['add', { assignees: [{ uid: 'U0CAROL' }] }],
      ['delete', { assignees: [{ uid: 'U0BOB' }] }],
    ]);
  });

  test('two concurrent changes to one case are both applied and both recorded', async () => {
    await service.openCase(alice, { title: 'x' }, publicOrigin);
    await Promise.all([
      service.setStatus(alice, { number: 1 }, 'in-progress'),
      service.setSeverity(bob, { number: 1 }, 'critical'),
      service.changeTags(bob, { number: 1 }, { add: ['t1'] }),
      service.addComment(alice, { number: 1 }, 'first look'),
    ]);
    const final = await service.getCase(alice, { number: 1 });
    expect(final).toMatchObject({ status: 'in-progress', severity: 'critical', tags: ['t1'] });
    expect(final.totals.user).toBe(1);
    const types = (await service.recentHistory(alice, { number: 1 }, 10)).map((a) => a.type).sort();
    expect(types).toEqual(['comment', 'create_case', 'severity', 'status', 'tags']);
  });

  test('a comment submitted twice with one key is stored once', async () => {
    await service.openCase(alice, { title: 'x' }, publicOrigin);
    await service.addComment(alice, { number: 1 }, 'hello', 'V-comment-1');
    await expect(service.addComment(alice, { number: 1 }, 'hello', 'V-comment-1')).rejects.toBeInstanceOf(DuplicateAttachmentError);
    expect((await service.getCase(alice, { number: 1 })).totals.user).toBe(1);
  });

  test('a private-channel case is invisible to non-members, exactly like a missing one', async () => {
    await service.openCase(alice, { title: 'secret' }, privateOrigin);
    await service.openCase(alice, { title: 'public' }, publicOrigin);
    const missing = await service.getCase(bob, { number: 99 }).catch((error: Error) => error);
    const hidden = await service.getCase(bob, { number: 1 }).catch((error: Error) => error);
    expect(hidden).toBeInstanceOf(CaseNotFoundError);
    expect(hidden).toEqual(expect.objectContaining({ message: (missing as Error).message.replace('#99', '#1') }));
    await expect(service.setStatus(bob, { number: 1 }, 'closed')).rejects.toBeInstanceOf(CaseNotFoundError);
    expect((await service.listCases(bob, { limit: 10 })).cases.map((c) => c.title)).toEqual(['public']);
    expect((await service.listCases(alice, { limit: 10 })).total).toBe(2);
    expect((await service.listCases(admin, { limit: 10 })).total).toBe(2);
    expect((await service.getCase(alice, { number: 1 })).title).toBe('secret');
  });
});
