import { describeConfigProblems, loadConfig } from '../../src/config';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

describe('settings', () => {
  test('defaults of DESIGN.md §3', () => {
    const result = loadConfig(minimal);
    expect(result).toEqual({
      ok: true,
      config: expect.objectContaining({
        port: 3000,
        store: 'sqlite',
        dataDir: './data',
        owner: 'securitySolution',
        admins: [],
        charts: { renderer: 'local', quickchartUrl: undefined },
        logLevel: 'info',
        logFormat: 'json',
        slack: expect.objectContaining({ apiUrl: 'https://slack.com/api/' }),
      }),
    });
  });

  test('charts may read the Slack events stream, Security alerts and logs-* unless the operator says otherwise', () => {
    const chartIndices = (env: Record<string, string>) => {
      const result = loadConfig({ ...minimal, ...env });
      return result.ok ? result.config.elasticsearch.chartIndices : result.problems;
    };
    expect(chartIndices({ CASEOPS_SLACK_EVENTS_NAMESPACE: 'soc' })).toEqual(['logs-caseops.slack-soc', '.alerts-security.alerts-*', 'logs-*']);
    expect(chartIndices({ CASEOPS_CHART_INDICES: 'logs-endpoint*, winlogbeat-*' })).toEqual(['logs-endpoint*', 'winlogbeat-*']);
    expect(chartIndices({ CASEOPS_CHART_INDICES: 'logs-*,remote:x,_all' })).toEqual([
      expect.stringMatching(/^CASEOPS_CHART_INDICES `remote:x`: remote clusters/),
      expect.stringMatching(/^CASEOPS_CHART_INDICES `_all`: name at least part/),
    ]);
  });

  test('an empty environment names every missing setting in one message', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const message = describeConfigProblems(result.problems);
    expect(message).toMatch(/SLACK_BOT_TOKEN is required/);
    expect(message).toMatch(/SLACK_SIGNING_SECRET is required in HTTP mode/);
    expect(message).toMatch(/\.env\.example/);
  });

  test('every malformed setting is reported together', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_SIGNING_SECRET: 's',
      SLACK_APP_TOKEN: 'nope',
      PORT: 'eighty',
      CASEOPS_STORE: 'postgres',
      CASEOPS_ADMINS: 'U1,alice',
      CHART_RENDERER: 'quickchart',
      QUICKCHART_URL: 'https://quickchart.io/chart',
      LOG_LEVEL: 'loud',
      KIBANA_URL: 'kibana.local',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.problems.map((problem) => problem.split(' ')[0]);
    expect(names).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'PORT', 'CASEOPS_STORE', 'CASEOPS_ADMINS', 'QUICKCHART_URL', 'LOG_LEVEL', 'KIBANA_URL']),
    );
  });

  test('Socket Mode needs no signing secret; the Elasticsearch store needs a cluster', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).ok).toBe(true);
    const es = loadConfig({ ...minimal, CASEOPS_STORE: 'elasticsearch' });
    expect(es.ok).toBe(false);
    if (!es.ok) expect(es.problems.join()).toMatch(/ELASTICSEARCH_URL is required/);
  });

  test('LOG_FORMAT is json or ecs, and anything else is named with the values it may take', () => {
    const ecs = loadConfig({ ...minimal, LOG_FORMAT: 'ecs' });
    expect(ecs.ok && ecs.config.logFormat).toBe('ecs');
    const bad = loadConfig({ ...minimal, LOG_FORMAT: 'ECS-json' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems).toEqual(['LOG_FORMAT must be one of json, ecs']);
  });

  test('Kibana sync is off by default; on, it needs KIBANA_URL and a credential, each named when missing', () => {
    const loaded = loadConfig(minimal);
    expect(loaded.ok && loaded.config.kibana.sync).toBeUndefined();
    expect(loadConfig({ ...minimal, CASEOPS_KIBANA_SYNC: 'on' })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^KIBANA_URL is required when CASEOPS_KIBANA_SYNC=on/), expect.stringMatching(/^KIBANA_API_KEY \(or KIBANA_USERNAME and KIBANA_PASSWORD\) is required/)],
    });
    expect(loadConfig({ ...minimal, CASEOPS_KIBANA_SYNC: 'yes', KIBANA_USERNAME: 'ana' })).toEqual({
      ok: false,
      problems: expect.arrayContaining(['CASEOPS_KIBANA_SYNC must be on or off', 'KIBANA_USERNAME and KIBANA_PASSWORD must be set together']),
    });
    const withKey = loadConfig({ ...minimal, CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: 'https://kibana.example.com', KIBANA_API_KEY: 'a2V5' });
    expect(withKey.ok && withKey.config.kibana.sync).toEqual({ url: 'https://kibana.example.com', credential: { apiKey: 'a2V5' }, pollMs: 10_000 });
    const withUser = loadConfig({ ...minimal, CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: 'https://kibana.example.com', KIBANA_USERNAME: 'caseops', KIBANA_PASSWORD: 'pw' });
    expect(withUser.ok && withUser.config.kibana.sync).toEqual({ url: 'https://kibana.example.com', credential: { username: 'caseops', password: 'pw' }, pollMs: 10_000 });
    const polled = loadConfig({ ...minimal, CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: 'https://kibana.example.com', KIBANA_API_KEY: 'a2V5', CASEOPS_KIBANA_POLL_MS: '500' });
    expect(polled.ok ? [] : polled.problems).toEqual([expect.stringContaining('CASEOPS_KIBANA_POLL_MS')]);
  });

  test('normalises the Slack API URL and parses admins', () => {
    const result = loadConfig({ ...minimal, SLACK_API_URL: 'http://127.0.0.1:9999/api', CASEOPS_ADMINS: ' U0A , W0B ' });
    expect(result.ok && result.config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(result.ok && result.config.admins).toEqual(['U0A', 'W0B']);
  });

  test('takes an admin of one workspace as <team id>:<user id>, and names a malformed one', () => {
    const result = loadConfig({ ...minimal, CASEOPS_ADMINS: 'U0A,T0002:U2ERIN' });
    expect(result.ok && result.config.admins).toEqual(['U0A', 'T0002:U2ERIN']);
    for (const wrong of ['T0002:', 'T0002:alice', 'X1:U1', 'T0002:U1:U2']) {
      const refused = loadConfig({ ...minimal, CASEOPS_ADMINS: wrong });
      expect(refused.ok ? [] : refused.problems.map((problem) => problem.split(' ')[0])).toEqual(['CASEOPS_ADMINS']);
    }
  });
});

test('empty values in .env mean "not set" and take the default', () => {
  const result = loadConfig({ ...minimal, PORT: '', CASEOPS_STORE: ' ', SLACK_APP_TOKEN: '' });
  expect(result.ok && [result.config.port, result.config.store, result.config.slack.appToken]).toEqual([3000, 'sqlite', undefined]);
});
