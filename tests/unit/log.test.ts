import { Writable } from 'node:stream';
import { createLogger, toSlackLogger } from '../../src/log';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

const BOT = 'xoxb-caseops-fake-bot-token-AbCdEfGhIjKl';
const APP = 'xapp-1-A0123-456-abcdef';

describe('log redaction', () => {
  test('tokens, secrets and Authorization never reach a log line, wherever they are', () => {
    const { lines, logger } = capture();
    logger.info({ token: 'plain-secret-value', config: { headers: { Authorization: `Bearer ${BOT}` } } }, `calling with ${BOT}`);
    logger.warn({ nested: [{ signingSecret: 'abc123', text: `app token ${APP}` }] }, 'x');
    logger.error({ err: new Error(`request failed for token=${BOT}`) }, 'failed');
    toSlackLogger(logger).debug('http request', { token: BOT, url: 'https://slack.com/api/chat.postMessage' }, new Error(`auth ${APP}`));
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    for (const secret of [BOT, APP, 'plain-secret-value', 'abc123']) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    expect(output).toContain('https://slack.com/api/chat.postMessage');
  });

  test('the Bolt adapter keeps our level whatever Bolt asks for', () => {
    const { logger } = capture();
    const slack = toSlackLogger(logger);
    slack.setLevel('error' as never);
    expect(slack.getLevel()).toBe('debug');
  });
});
