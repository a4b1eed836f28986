import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Actor, SlackOrigin } from '../../src/cases/model';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import { CaseTransfer } from '../../src/kibana/case-transfer';
import { DEFAULT_KIBANA_TARGET } from '../../src/kibana/export/versions';
import { DEFAULT_IMPORT_LIMITS } from '../../src/kibana/import/parse';
import { SqliteCaseStore } from '../../src/storage/sqlite/sqlite-store';
import { describeWithElasticsearch, testClient } from './support/test-cluster';

/**
 * Case metrics on a seeded set of cases whose every time is set here: equal to the values worked out by hand, and
 * MTTR equal to what Kibana's own metrics aggregation (`avg` of `cases.attributes.duration` over the cases created in
 * the period) answers on the same cases, exported as Kibana saved objects and indexed in the real node.
 */

const alice: Actor = { userId: 'U0ALICE', teamId: 'T0001' };
const publicChannel: SlackOrigin = { teamId: 'T0001', channelId: 'C0PUBLIC', isPrivate: false };
const secretChannel: SlackOrigin = { teamId: 'T0001', channelId: 'G0SECRET', isPrivate: true };
const PERIOD = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-11-08T00:00:00Z') };
const at = (iso: string) => Date.parse(`2026-${iso}:00Z`);

describeWithElasticsearch('case metrics', () => {
  let dir: string;
  let store: SqliteCaseStore;
  let service: CaseService;
  let clock = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseops-metrics-'));
    store = new SqliteCaseStore(dir);
    await store.init();
    service = new CaseService(store, new VisibilityPolicy({ isMember: async () => true }, []), { owner: 'securitySolution', now: () => new Date(clock) });
    const open = async (when: string, title: string, severity: 'low' | 'medium' | 'high' | 'critical', origin = publicChannel) => {
      clock = at(when);
      return (await service.openCase(alice, { title, severity }, origin)).case;
    };
    const then = async (when: string, change: () => Promise<unknown>) => {
      clock = at(when);
      await change();
    };
    // A: critical, assigned after 9 min, closed after 2 h 10 min.
    const a = await open('11-02T10:00', 'A', 'critical');
    await then('11-02T10:09', () => service.changeAssignees(alice, { id: a.id }, { add: ['U0BOB'] }));
    await then('11-02T12:10', () => service.setStatus(alice, { id: a.id }, 'closed'));
    // B: critical, in progress after 21 min, still in progress.
    const b = await open('11-03T08:00', 'B', 'critical');
    await then('11-03T08:21', () => service.setStatus(alice, { id: b.id }, 'in-progress'));
    // C: high, untouched.
    await open('11-04T09:00', 'C', 'high');
    // D: low, opened before the period, closed in it.
    const d = await open('10-30T09:00', 'D', 'low');
    await then('11-05T12:00', () => service.setStatus(alice, { id: d.id }, 'closed'));
    // E: high, assigned after an hour, closed after six.
    const e = await open('11-06T00:00', 'E', 'high');
    await then('11-06T01:00', () => service.changeAssignees(alice, { id: e.id }, { add: ['U0BOB'] }));
    await then('11-06T06:00', () => service.setStatus(alice, { id: e.id }, 'closed'));
    // F: after the period. G: in a private channel, closed in the period: not counted for a public channel.
    await open('11-09T09:00', 'F', 'medium');
    const g = await open('11-02T09:00', 'G', 'critical', secretChannel);
    await then('11-02T09:30', () => service.setStatus(alice, { id: g.id }, 'closed'));
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('equal the hand-computed values, for what a public channel may see', async () => {
    const tally = await service.channelMetrics('T0001', { id: 'C0PUBLIC', isPrivate: false }, PERIOD);
    expect(tally.result()).toEqual({
      opened: 4,
      closed: 3,
      status: { open: 1, 'in-progress': 1, closed: 2 },
      acknowledge: { seconds: (540 + 1260 + 3600) / 3, cases: 3 },
      resolve: { seconds: (7800 + 21600) / 2, cases: 2 },
      bySeverity: {
        low: { opened: 0, acknowledge: { seconds: null, cases: 0 }, resolve: { seconds: null, cases: 0 } },
        medium: { opened: 0, acknowledge: { seconds: null, cases: 0 }, resolve: { seconds: null, cases: 0 } },
        high: { opened: 2, acknowledge: { seconds: 3600, cases: 1 }, resolve: { seconds: 21600, cases: 1 } },
        critical: { opened: 2, acknowledge: { seconds: (540 + 1260) / 2, cases: 2 }, resolve: { seconds: 7800, cases: 1 } },
      },
    });
    const day = (moments: { time: number; what: string }[], what: string) => moments.filter((moment) => moment.what === what).map((moment) => new Date(moment.time).toISOString().slice(5, 10)).sort();
    expect(day(tally.moments, 'opened')).toEqual(['11-02', '11-03', '11-04', '11-06']);
    expect(day(tally.moments, 'closed')).toEqual(['11-02', '11-05', '11-06']);
  });

  test("the private channel's own cases count there", async () => {
    const tally = await service.channelMetrics('T0001', { id: 'G0SECRET', isPrivate: true }, PERIOD);
    expect(tally.result()).toMatchObject({ opened: 5, closed: 4, resolve: { seconds: (7800 + 21600 + 1800) / 3, cases: 3 } });
  });

  test("MTTR equals Kibana's aggregation over the same cases exported as saved objects", async () => {
    const transfer = new CaseTransfer(service, store, { exportVersion: DEFAULT_KIBANA_TARGET, profileUids: new Map(), importLimits: DEFAULT_IMPORT_LIMITS });
    const admin: Actor = { userId: 'U0ALICE', teamId: 'T0001' };
    const caseObjects: Record<string, unknown>[] = [];
    for await (const line of transfer.exportLines(admin, { kind: 'all' })) {
      const object = JSON.parse(line) as { type?: string; attributes?: { owner?: string; created_at?: string; duration?: number | null } };
      if (object.type === 'cases') caseObjects.push({ type: 'cases', cases: { attributes: object.attributes } });
    }
    const index = `caseops-test-metrics-${randomUUID().slice(0, 8)}`;
    const client = testClient();
    try {
      // The fields the metrics read, mapped as Kibana maps them but for duration: Kibana's `unsigned_long` is an x-pack
      // mapper the test node lacks, and `long` holds the same whole seconds.
      await client.indices.create({ index, mappings: { properties: { type: { type: 'keyword' }, cases: { properties: { attributes: { properties: { created_at: { type: 'date' }, duration: { type: 'long' } } } } } } } });
      await client.bulk({ refresh: true, operations: caseObjects.flatMap((document) => [{ index: { _index: index } }, document]) });
      const answer = await client.search({
        index,
        size: 0,
        query: { range: { 'cases.attributes.created_at': { gte: new Date(PERIOD.fromMs).toISOString(), lt: new Date(PERIOD.toMs).toISOString() } } },
        aggs: { mttr: { avg: { field: 'cases.attributes.duration' } } },
      });
      const kibana = (answer.aggregations?.mttr as { value: number | null }).value;
      const tally = await service.channelMetrics('T0001', { id: 'G0SECRET', isPrivate: true }, PERIOD);
      expect(kibana).toBe(tally.result().resolve.seconds);
    } finally {
      await client.indices.delete({ index, ignore_unavailable: true });
      await client.close();
    }
  });
});
