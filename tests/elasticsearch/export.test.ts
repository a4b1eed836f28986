import type { Actor, Case, UserAction } from '../../src/cases/model';
import { VisibilityPolicy } from '../../src/cases/policy';
import { CaseService } from '../../src/cases/service';
import type { ExportSelection } from '../../src/cases/export-request';
import { exportInputs } from '../../src/kibana/case-transfer';
import type { ElasticsearchCaseStore } from '../../src/storage/elasticsearch/elasticsearch-store';
import { createCase } from './support/case-fixtures';
import { describeWithElasticsearch, dropPrefix, testStore, uniquePrefix } from './support/test-cluster';

/**
 * The export reads a team over a point in time, a page at a time with search_after. The page is lowered to 3
 * cases here, so a team of 8 takes three pages: the same paging that carries an export past a million cases.
 */
describeWithElasticsearch('Elasticsearch store: export over a point in time', () => {
  const teamId = 'T0EXPORT';
  const member: Actor = { userId: 'U0MEMBER', teamId };
  const outsider: Actor = { userId: 'U0OUTSIDER', teamId };
  let prefix: string;
  let writer: ElasticsearchCaseStore;
  let exporter: ElasticsearchCaseStore;
  let cases: Case[];

  beforeAll(async () => {
    prefix = uniquePrefix('export');
    writer = testStore(prefix);
    // Another replica, with pages of 3: what it exports was written on the first one a moment before.
    exporter = testStore(prefix, { scanPageSize: 3 });
    await writer.init();
    cases = [];
    for (let index = 0; index < 8; index += 1) {
      const origin = { teamId, channelId: index === 4 ? 'G0SECRET' : 'C0PUBLIC', isPrivate: index === 4 };
      cases.push(await createCase(writer, { teamId, origin, title: `case ${index + 1}` }));
    }
    const closed = cases[6]!;
    cases[6] = await writer.updateCase({ ...closed, status: 'closed' }, closed.version);
  });

  afterAll(async () => {
    await Promise.all([writer.close(), exporter.close()]);
    await dropPrefix(prefix);
  });

  const exported = async (actor: Actor, selection: ExportSelection) => {
    const members = { isMember: async (_team: string, channel: string, user: string) => channel === 'G0SECRET' && user === member.userId };
    const service = new CaseService(exporter, new VisibilityPolicy(members, []), { owner: 'securitySolution' });
    const numbers: number[] = [];
    for await (const input of exportInputs(service, exporter, actor, selection)) {
      // exportInputs reads the store's lists as arrays; the case's first action is its creation.
      expect((input.userActions as UserAction[]).at(-1)?.type).toBe('create_case');
      numbers.push((input.case as Case).number);
    }
    return numbers;
  };

  test('every case the requester may see, by number, across pages', async () => {
    expect(await exported(member, { kind: 'all' })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await exported(outsider, { kind: 'all' })).toEqual([1, 2, 3, 4, 6, 7, 8]);
  });

  test('open cases only', async () => {
    expect(await exported(member, { kind: 'open' })).toEqual([1, 2, 3, 4, 5, 6, 8]);
  });
});
