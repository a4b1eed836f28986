import { randomInt } from 'node:crypto';
import type { EventData } from '../../src/cases/attachments';
import { renderEventQuote } from '../../src/kibana/markdown/event-quote';
import { blockQuote } from '../../src/kibana/markdown/text';

/** The quote of a Slack message sent at `ts` with this text. */
function quoted(ts: string, text = 'beacon'): string {
  const event: EventData = {
    message: { teamId: 'T0001', channel: { id: 'C0SOC', name: 'soc', isPrivate: false }, ts, author: { id: 'U0ANA', name: 'ana' }, text, files: [], edited: false },
  };
  return renderEventQuote(event);
}

/** The time the quote's first line gives. */
const timeIn = (quote: string) => /, ([^,\n]*)$/m.exec(quote.split('\n')[0]!)![1];

describe("a Slack message's quote", () => {
  test("gives the message's time as Date#toISOString would, at calendar edges and at random", () => {
    const edges = [
      '1970-01-01T00:00:00.001Z',
      '1999-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z', // a leap day of a year divisible by 400
      '2000-03-01T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2100-02-28T23:59:59.999Z', // 2100 has no leap day
      '2100-03-01T00:00:00.000Z',
      '2400-02-29T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ].map((iso) => Date.parse(iso));
    const random = Array.from({ length: 2_000 }, () => randomInt(1, 253_402_300_799) * 1000 + randomInt(0, 1000));
    for (const ms of [...edges, ...random]) {
      const ts = `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}100`;
      expect(timeIn(quoted(ts))).toBe(new Date(ms).toISOString());
    }
  });

  test('leaves a ts that is not a time as it is', () => {
    expect(timeIn(quoted('not-a-ts'))).toBe('not-a-ts');
  });

  test('quotes every line, blank ones with a bare >', () => {
    expect(blockQuote('one\n\ntwo\n')).toBe('> one\n>\n> two\n>');
    expect(blockQuote('')).toBe('>');
    expect(blockQuote('a\r\nb')).toBe('> a\r\n> b');
  });
});
