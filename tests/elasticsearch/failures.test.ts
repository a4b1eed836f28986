import net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { StoreUnavailableError, VersionConflictError } from '../../src/cases/errors';
import type { Attachment, Case } from '../../src/cases/model';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import { createCaseAction } from '../../src/cases/user-actions';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client';
import { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { indexNames } from '../../src/storage/elasticsearch/index-names';
import { draftCase } from '../contract/case-store-contract';
import { analyst, commentWrite, createCase } from './support/case-fixtures';
import { crashAfter, repeatRequests } from './support/crashing-client';
import { effectDraft } from '../contract/outbox-contract';
import { streamOfOne } from '../../src/cases/outbox';
import { TcpProxy } from './support/tcp-proxy';
import { describeWithElasticsearch, eachTestWithInstallation, elasticsearchUrl, testClient, testStore } from './support/test-cluster';

/**
 * Failures midway through a use-case. A healthy store on the same indices (the verifier) checks that readers see
 * all of a use-case or none of it, before and after the repair pass, and that the repair pass leaves no pending
 * record behind.
 */
describeWithElasticsearch('Elasticsearch store: failures midway', () => {
  let prefix: string;
  let verifier: ElasticsearchCaseStore;
  let admin: Client;

  eachTestWithInstallation('failures', (installation) => {
    ({ prefix, store: verifier, admin } = installation);
  });

  /** Pending records of unfinished operations: creation claims and staged children. */
  async function pendingRecords(): Promise<number> {
    const names = indexNames(prefix);
    await admin.indices.refresh({ index: [names.cases, names.attachments, names.userActions] });
    const claims = await admin.count({ index: names.cases, query: { term: { state: 'pending' } } });
    const children = await admin.count({ index: [names.attachments, names.userActions], query: { exists: { field: 'pending.op' } } });
    return claims.count + children.count;
  }

  /** What readers see of a case: the case, its attachments, its user actions (ids), and the team's list. */
  async function view(teamId: string, caseId: string) {
    const theCase = await verifier.getCase(teamId, { id: caseId });
    const attachments = await verifier.listAttachments(caseId, { limit: 100 });
    const userActions = await verifier.listUserActions(caseId, { limit: 100 });
    // An export reads the children of many cases at once; in every state it must see what these readers see.
    expect(await verifier.listChildren(teamId, [caseId])).toEqual(new Map(theCase ? [[caseId, { attachments, userActions }]] : []));
    return {
      case: theCase,
      attachments,
      actions: userActions.map((action) => action.id),
      listed: (await verifier.findCases({ teamId, limit: 100 })).cases.map((c) => c.id),
    };
  }
  type View = Awaited<ReturnType<typeof view>>;

  /** A store whose process dies after `requests` requests (see crashAfter). */
  const dyingStore = (requests: number, lastResponseLost: boolean) =>
    new ElasticsearchCaseStore({ client: crashAfter(testClient({ maxRetries: 0 }), requests, { lastResponseLost }), indexPrefix: prefix });

  /** A use-case on one case, set up afresh for each crash point. */
  interface Scenario {
    teamId: string;
    caseId: string;
    run(store: ElasticsearchCaseStore): Promise<unknown>;
    /** What readers must see once it has happened (before, they see what they saw before it ran). */
    after: View;
  }

  /**
   * Runs the use-case in a process that dies after 0, 1, 2 … requests (with or without the last answer lost)
   * and checks that readers see all of it or none of it, the same after the repair pass, which leaves no
   * pending record, and that it can then be done again.
   */
  async function crashEverywhere(prepare: (crashPoint: number) => Promise<Scenario>): Promise<void> {
    const outcomes = new Set<string>();
    for (let crashPoint = 0; crashPoint < 18; crashPoint += 1) {
      const scenario = await prepare(crashPoint);
      const before = await view(scenario.teamId, scenario.caseId);
      const dying = dyingStore(crashPoint >> 1, crashPoint % 2 === 1);
      const outcome = await scenario.run(dying).then(
        () => 'done',
        (error: unknown) => error,
      );
      await dying.close();
      if (outcome !== 'done') expect(outcome).toBeInstanceOf(StoreUnavailableError);
      // A writer that died after its commit (even one whose use-case had returned) may not have moved the team's
      // change marker: its commit is then searchable after the next scheduled refresh, not at once (read-your-writes
      // of completed writes is the contract suite's). Refreshing here stands for that second.
      await admin.indices.refresh({ index: indexNames(prefix).cases });

      const seen = await view(scenario.teamId, scenario.caseId);
      const landed = !isDeepStrictEqual(seen, before);
      outcomes.add(`${outcome === 'done' ? 'done' : 'failed'}, ${landed ? 'landed' : 'not landed'}`);
      if (landed || outcome === 'done') expect(seen).toEqual(scenario.after);

      await verifier.repair({ olderThanMs: 0 });
      expect(await view(scenario.teamId, scenario.caseId)).toEqual(seen);
      expect(await pendingRecords()).toBe(0);
      if (!landed) {
        await scenario.run(verifier);
        expect(await view(scenario.teamId, scenario.caseId)).toEqual(scenario.after);
      }
    }
    // Every kind of ending happened, including the ambiguous one: the commit landed but its answer was lost.
    expect([...outcomes].sort()).toEqual(['done, landed', 'failed, landed', 'failed, not landed']);
  }

  test('an update cut off after any request: all or nothing, before and after repair, and it can be redone', async () => {
    await crashEverywhere(async () => {
      const base = await createCase(verifier);
      const first = commentWrite(base, 'first');
      const before = await verifier.updateCase(first.next, base.version, first.write);
      const original = first.write.addAttachments![0]!;
      const second = commentWrite(before, 'second');
      const edited: Attachment = { ...original, data: { comment: 'first, edited' }, updatedAt: second.next.updatedAt, updatedBy: analyst };
      const next: Case = { ...second.next, severity: 'critical' };
      const write = { ...second.write, replaceAttachments: [edited] };
      const actions = await verifier.listUserActions(base.id, { limit: 10 });
      return {
        teamId: base.teamId,
        caseId: base.id,
        run: (store) => store.updateCase(next, before.version, write),
        after: {
          case: { ...next, version: before.version + 1 },
          attachments: [second.write.addAttachments![0]!, edited],
          actions: [write.actions![0]!.id, ...actions.map((action) => action.id)],
          listed: expect.arrayContaining([base.id]),
        },
      };
    });
  }, 120_000);

  test('a creation cut off after any request: all or nothing, before and after repair, and it can be redone', async () => {
    await crashEverywhere(async (crashPoint) => {
      const teamId = `T0CRASH${crashPoint}`;
      const draft = draftCase({ teamId, origin: { teamId, channelId: 'C1', isPrivate: false } });
      const comment = commentWrite({ ...draft, number: 1, version: 0 }, 'opening note').write.addAttachments![0]!;
      const action = createCaseAction(draft, analyst, draft.createdAt);
      return {
        teamId,
        caseId: draft.id,
        run: (store) => store.createCase(draft, { actions: [action], addAttachments: [comment] }),
        // A crash between taking the number and committing leaves that number unused: a gap, never a duplicate.
        after: { case: { ...draft, number: expect.any(Number), version: 1 }, attachments: [comment], actions: [action.id], listed: [draft.id] },
      };
    });
  }, 120_000);

  test('a replacement (an import that overwrites, same ids) cut off after any request: all or nothing, and it can be redone', async () => {
    await crashEverywhere(async () => {
      const base = await createCase(verifier, { title: 'as exported' });
      const first = commentWrite(base, 'old comment');
      await verifier.updateCase(first.next, base.version, first.write);
      const oldComment = first.write.addAttachments![0]!;
      const reimported = { ...draftCase({ title: 'as imported', tags: ['imported'] }), id: base.id };
      const sameId: Attachment = { ...oldComment, data: { comment: 'imported comment' } };
      const action = createCaseAction(reimported, analyst, reimported.createdAt);
      return {
        teamId: base.teamId,
        caseId: base.id,
        run: (store) => store.replaceCase(reimported, { actions: [action], addAttachments: [sameId] }),
        after: {
          case: { ...reimported, number: base.number, version: 3 },
          attachments: [sameId],
          actions: [action.id],
          listed: expect.arrayContaining([base.id]),
        },
      };
    });
  }, 120_000);

  test('a record a dead writer left in the way counts as in flight until its lease runs out, then the next writer clears it', async () => {
    const base = await createCase(verifier);
    const first = commentWrite(base, 'first');
    const current = await verifier.updateCase(first.next, base.version, first.write);
    const { next, write } = commentWrite(current, 'attached twice');
    // Dies after staging (read case, roll forward, stage): the attachment's id is now held by a pending record.
    const dying = dyingStore(3, false);
    await expect(dying.updateCase(next, current.version, write)).rejects.toBeInstanceOf(StoreUnavailableError);
    await dying.close();

    // Its writer might still commit: the same attachment from another request is a concurrent change, not a duplicate.
    await expect(verifier.updateCase(next, current.version, write)).rejects.toBeInstanceOf(VersionConflictError);
    // Past the lease, the next writer fences the case so the dead writer can never commit, clears the record
    // and goes on.
    const patient = testStore(prefix, { pendingLeaseMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(patient.updateCase(next, current.version, write)).resolves.toEqual({ ...next, version: current.version + 1 });
    expect((await verifier.listAttachments(base.id, { limit: 10 })).map((a) => a.data.comment)).toEqual(['attached twice', 'first']);
    expect(await verifier.listUserActions(base.id, { limit: 10 })).toHaveLength(3);
    expect(await pendingRecords()).toBe(0);
    await patient.close();
  });

  test('a creation that staged and died before creating its case is in flight until its lease runs out; then the id is fenced, so its create can never land, and the id can be created again', async () => {
    const teamId = 'T0FENCE';
    const draft = draftCase({ teamId, origin: { teamId, channelId: 'C0FENCE', isPrivate: false } });
    const comment = commentWrite({ ...draft, number: 1, version: 0 }, 'staged twice').write.addAttachments![0]!;
    const write = { addAttachments: [comment] };
    // Three requests: the staged attachment, the counter read and the counter written. The case document's create never goes.
    const dying = dyingStore(3, false);
    await expect(dying.createCase(draft, write)).rejects.toBeInstanceOf(StoreUnavailableError);
    await dying.close();

    // The same creation again (an import retried): the attachment's id is held by a writer that may still commit.
    await expect(verifier.createCase(draft, write)).rejects.toBeInstanceOf(VersionConflictError);
    // Past the lease, the repair pass fences the id: a fence document takes its place, so the dead writer's create fails.
    await verifier.repair({ olderThanMs: 0 });
    const names = indexNames(prefix);
    expect((await admin.get<{ state: string }>({ index: names.cases, id: draft.id }))._source?.state).toBe('fenced');
    await expect(admin.create({ index: names.cases, id: draft.id, document: { state: 'committed' } })).rejects.toMatchObject({ statusCode: 409 });
    expect(await verifier.getCase(teamId, { id: draft.id })).toBeNull();
    expect(await pendingRecords()).toBe(0);

    // A creation of the id takes the fence over.
    const { case: created, created: isNew } = await verifier.createCase(draft, write);
    expect(isNew).toBe(true);
    expect(await verifier.listAttachments(created.id, { limit: 10 })).toEqual([comment]);
  });

  test('a new-case submission whose first try died anywhere before its commit is opened by its redelivery once the claim has run out, with one card owed', async () => {
    const teamId = 'T0REDELIVER';
    const origin = { teamId, channelId: 'C0REDELIVER', isPrivate: false };
    const service = (store: ElasticsearchCaseStore) => new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, []), { owner: 'securitySolution' });
    const patient = testStore(prefix, { pendingLeaseMs: 200 });
    const outcomes = new Set<string>();
    // Crash points from the head read to past the commit: claim, staged actions, number, staged card, commit.
    for (let crashPoint = 1; crashPoint <= 8; crashPoint += 1) {
      const viewId = `V0REDELIVER${crashPoint}`;
      const dying = dyingStore(crashPoint, false);
      const first = await service(dying).openCase({ ...analyst, teamId }, { title: `redelivered ${crashPoint}` }, origin, viewId).then(() => 'done', () => 'died');
      await dying.close();
      outcomes.add(first);
      await new Promise((resolve) => setTimeout(resolve, 300));

      // Slack delivers the submission again, to another replica: no repair pass has run in between.
      const opened = await service(patient).openCase({ ...analyst, teamId }, { title: `redelivered ${crashPoint}` }, origin, viewId);
      expect(opened.case.title).toBe(`redelivered ${crashPoint}`);
      const effects = await patient.outbox.listEffects(opened.case.id);
      expect(effects.map((effect) => [effect.kind, effect.state])).toEqual([['post_card', 'due']]);
      expect(opened.effectIds).toEqual(opened.created ? [effects[0]!.id] : []);
    }
    // Some tries died before their commit (the redelivery opened the case) and some after (it found it).
    expect(outcomes).toEqual(new Set(['died', 'done']));
    await patient.close();
  });

  test('bulk requests repeated after their answer was lost: the write commits once, its staged children and effects recognised as its own', async () => {
    const repeating = new ElasticsearchCaseStore({ client: repeatRequests(testClient({ maxRetries: 0 }), (params) => params.path.endsWith('/_bulk')), indexPrefix: prefix });
    const card = effectDraft('post_card');
    const draft = draftCase();
    const { case: opened } = await repeating.createCase(draft, { actions: [createCaseAction(draft, analyst, draft.createdAt)], effects: [card] });
    const { next, write } = commentWrite(opened, 'said once');
    const line = effectDraft('thread_line');
    await repeating.updateCase(next, opened.version, { ...write, effects: [line] });

    expect((await verifier.listAttachments(opened.id, { limit: 10 })).map((attachment) => attachment.data.comment)).toEqual(['said once']);
    expect(await verifier.listUserActions(opened.id, { limit: 10 })).toHaveLength(2);
    expect((await verifier.outbox.listEffects(opened.id)).map((effect) => effect.id)).toEqual([card.id, line.id]);
    expect(await pendingRecords()).toBe(0);
    await repeating.close();
  });

  test('an effect recorded alone whose create the client repeated after its answer was lost is recognised as recorded by this call', async () => {
    const repeating = new ElasticsearchCaseStore({ client: repeatRequests(testClient({ maxRetries: 0 }), (params) => params.path.includes('/_create/')), indexPrefix: prefix });
    const draft = effectDraft('deliver_export');
    expect(await repeating.outbox.recordAlone('T0001', draft)).toMatchObject({ id: draft.id, state: 'due' });
    // Asked again by another call (a second replica recording the same day's digest, say): recorded before.
    expect(await repeating.outbox.recordAlone('T0001', draft)).toBeNull();
    expect((await verifier.outbox.listEffects(streamOfOne(draft.id))).map((effect) => effect.id)).toEqual([draft.id]);
    await repeating.close();
  });

  test('the network cut in the middle of a batch: every call finished or failed as unavailable, and the store stays consistent', async () => {
    const proxy = await TcpProxy.start(elasticsearchUrl());
    const throughProxy = new ElasticsearchCaseStore({ client: testClient({ node: proxy.url, maxRetries: 1 }), indexPrefix: prefix });
    const teamId = 'T0001';
    const existing = await Promise.all(Array.from({ length: 20 }, () => createCase(verifier)));

    // A batch of comments and new cases, started a few milliseconds apart, so the cut finds some done,
    // some in flight and some not started.
    const batch = () => [
      ...existing.map((theCase, index) => async () => {
        await new Promise((resolve) => setTimeout(resolve, index * 4));
        const current = (await throughProxy.getCase(teamId, { id: theCase.id }))!;
        const { next, write } = commentWrite(current, `comment ${index}`);
        await throughProxy.updateCase(next, current.version, write);
      }),
      ...Array.from({ length: 20 }, (_, index) => async () => {
        await new Promise((resolve) => setTimeout(resolve, index * 4 + 2));
        await createCase(throughProxy);
      }),
    ];
    // The bytes a whole batch sends, measured on a first batch that runs undisturbed.
    const rounds = { bytes: 0 };
    proxy.onClientBytes = (count) => (rounds.bytes += count);
    await Promise.all(batch().map((run) => run()));
    proxy.onClientBytes = undefined;

    proxy.cutAfterBytes(Math.round(rounds.bytes / 2));
    const results = await Promise.allSettled(batch().map((run) => run()));
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(results.length);
    for (const failure of failed) expect(failure.reason).toBeInstanceOf(StoreUnavailableError);
    proxy.restore();

    const checkEveryCase = async () => {
      const { cases } = await verifier.findCases({ teamId, limit: 1000 });
      expect(new Set(cases.map((c) => c.number)).size).toBe(cases.length);
      for (const theCase of cases) {
        // Each case was created with one user action; each comment added one attachment and one user action.
        expect(await verifier.listUserActions(theCase.id, { limit: 100 })).toHaveLength(theCase.version);
        expect(await verifier.listAttachments(theCase.id, { limit: 100 })).toHaveLength(theCase.totals.user);
        expect(theCase.totals.user).toBe(theCase.version - 1);
      }
      return cases.length;
    };
    const count = await checkEveryCase();
    await verifier.repair({ olderThanMs: 0 });
    expect(await checkEveryCase()).toBe(count);
    expect(await pendingRecords()).toBe(0);

    // Reconnected, the same store works again.
    await expect(throughProxy.health()).resolves.toEqual({ ok: true });
    await expect(createCase(throughProxy)).resolves.toMatchObject({ version: 1 });
    await throughProxy.close();
    await proxy.close();
  }, 120_000);

  test('an unreachable cluster: health says why without throwing, and writes fail as unavailable', async () => {
    const port = await closedPort();
    const store = new ElasticsearchCaseStore({ client: createElasticsearchClient({ url: `http://127.0.0.1:${port}` }), indexPrefix: prefix });
    const started = Date.now();
    await expect(store.health()).resolves.toEqual({ ok: false, reason: expect.stringMatching(/Elasticsearch unreachable: ConnectionError/) });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(store.init()).rejects.toBeInstanceOf(StoreUnavailableError);
    const failure = await createCase(store).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toBe('Case storage is unavailable right now; nothing was changed. Please try again shortly.');
    await store.close();
  }, 60_000);
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
