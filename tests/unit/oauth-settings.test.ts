import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config';

const key = () => randomBytes(32).toString('base64');
const oauth = { SLACK_CLIENT_ID: '1234567890.0987654321', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'a-state-secret-of-length', SLACK_SIGNING_SECRET: 'secret' };

const problemsOf = (env: Record<string, string>) => {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
};

describe('OAuth distribution settings', () => {
  test('the client credentials, the state secret and the encryption keys make OAuth mode, with no bot token', () => {
    const current = key();
    const older = key();
    const result = loadConfig({ ...oauth, CASEOPS_ENCRYPTION_KEY: `${current}, ${older}` });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.slack.botToken).toBeUndefined();
    expect(result.config.slack.oauth).toEqual({
      clientId: oauth.SLACK_CLIENT_ID,
      clientSecret: 'client-secret',
      stateSecret: 'a-state-secret-of-length',
      encryptionKeys: [Buffer.from(current, 'base64'), Buffer.from(older, 'base64')],
    });
  });

  test('each missing OAuth setting is named with where it comes from', () => {
    const problems = problemsOf({ SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID, SLACK_SIGNING_SECRET: 'secret' });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET is required when SLACK_CLIENT_ID is set: the Client Secret/),
      expect.stringMatching(/^SLACK_STATE_SECRET is required when SLACK_CLIENT_ID is set/),
      expect.stringMatching(/^CASEOPS_ENCRYPTION_KEY is required when SLACK_CLIENT_ID is set: .*openssl rand -base64 32/),
    ]);
    expect(problems.join('\n')).not.toMatch(/SLACK_BOT_TOKEN is required/);
  });

  test('OAuth excludes a bot token, Socket Mode and the one-workspace Kibana sync', () => {
    const problems = problemsOf({ ...oauth, CASEOPS_ENCRYPTION_KEY: key(), SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: 'https://kibana.example.com', KIBANA_API_KEY: 'k' });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN and SLACK_CLIENT_ID cannot both be set/),
      expect.stringMatching(/^SLACK_APP_TOKEN cannot be used with SLACK_CLIENT_ID/),
      expect.stringMatching(/^CASEOPS_KIBANA_SYNC=on needs one workspace/),
    ]);
  });

  test('malformed values: a key that is not 32 bytes, a short state secret, a client id that is not one', () => {
    const problems = problemsOf({ ...oauth, SLACK_CLIENT_ID: 'my-app', SLACK_STATE_SECRET: 'short', CASEOPS_ENCRYPTION_KEY: `${key()},${randomBytes(16).toString('base64')}` });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_CLIENT_ID must be the app’s Client ID/),
        expect.stringMatching(/^SLACK_STATE_SECRET must be at least 16 characters/),
        expect.stringMatching(/^CASEOPS_ENCRYPTION_KEY must be 32-byte keys in base64/),
      ]),
    );
  });
});
