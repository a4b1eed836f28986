import { Writable } from 'node:stream';
import { EcsFlat } from '@elastic/ecs';
import { createLogger, type LogFormat, toSlackLogger } from '../../src/log';

function capture(format?: LogFormat) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream, format) };
}

const BOT = 'xoxb-caseops-fake-bot-token-AbCdEfGhIjKl';
const APP = 'xapp-1-A0123-456-abcdef';
/** With token rotation: an expiring bot token and its refresh token (OAuth distribution). */
const ROTATING = 'xoxe.xoxb-1-MS0yLTIyMjI-rotating-bot-token';
const REFRESH = 'xoxe-1-My0xLTMzMzM-refresh-token';

/** Logs a secret in every place one can hide: message, known secret keys, nested headers, errors, Bolt's logger. */
function logSecrets(lines: string[], logger: ReturnType<typeof createLogger>): string {
  logger.info({ token: 'plain-secret-value', config: { headers: { Authorization: `Bearer ${BOT}` } } }, `calling with ${BOT}`);
  logger.warn({ nested: [{ signingSecret: 'abc123', text: `app token ${APP}` }] }, 'x');
  logger.error({ err: new Error(`request failed for token=${BOT}`) }, 'failed');
  toSlackLogger(logger).debug('http request', { token: BOT, url: 'https://slack.com/api/chat.postMessage' }, new Error(`auth ${APP}`));
  logger.info({ installation: { bot: { token: ROTATING, refreshToken: REFRESH }, clientSecret: 'client-secret-value', stateSecret: 'state-secret-value' } }, `refreshed with ${REFRESH}`);
  return lines.join('');
}

describe('log redaction', () => {
  test.each<LogFormat>(['json', 'ecs'])('%s: tokens, secrets and Authorization never reach a log line, wherever they are', (format) => {
    const { lines, logger } = capture(format);
    const output = logSecrets(lines, logger);
    expect(lines).toHaveLength(5);
    for (const secret of [BOT, APP, 'plain-secret-value', 'abc123', ROTATING.slice(5), REFRESH, 'client-secret-value', 'state-secret-value']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    expect(output).toContain('https://slack.com/api/chat.postMessage');
  });
});

describe('LOG_FORMAT=ecs', () => {
  const ecsLines = () => {
    const { lines, logger } = capture('ecs');
    logSecrets(lines, logger);
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  test('every line is one JSON document with the fields ECS logging requires, valued as ECS defines them', () => {
    const records = ecsLines();
    expect(records).toHaveLength(5);
    for (const record of records) {
      expect(record).toEqual(expect.objectContaining({ '@timestamp': expect.any(String), 'log.level': expect.any(String), 'ecs.version': expect.any(String), message: expect.any(String), 'service.name': 'caseops' }));
      expect(new Date(record['@timestamp'] as string).toISOString()).toBe(record['@timestamp']);
      expect(record['ecs.version']).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(records.map((record) => record['log.level'])).toEqual(['info', 'warn', 'error', 'debug', 'info']);
    // Every field the formatter adds is an ECS field, by Elastic's own schema.
    const added = ['@timestamp', 'log.level', 'message', 'ecs.version', 'service.name', 'event.dataset', 'process.pid', 'host.hostname', 'error.type', 'error.message', 'error.stack_trace'];
    expect(added.filter((field) => !(field in EcsFlat))).toEqual([]);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(added.filter((field) => !field.startsWith('error.'))));
  });

  test('an error becomes ECS error.type, error.message and error.stack_trace, scrubbed', () => {
    const failed = ecsLines()[2]!;
    expect(failed.error).toEqual({ type: 'Error', message: 'request failed for token=[redacted]', stack_trace: expect.stringContaining('request failed for token=[redacted]') });
    expect(failed).not.toHaveProperty('err');
  });
});

describe('the Bolt logger adapter', () => {
  test('the Bolt adapter keeps our level whatever Bolt asks for', () => {
    const { logger } = capture();
    const slack = toSlackLogger(logger);
    slack.setLevel('error' as never);
    expect(slack.getLevel()).toBe('debug');
  });
});
