import type { EventData } from '../../cases/attachments';
import { blockQuote } from './text';

/**
 * An attached Slack message as Kibana markdown: who said it, where and when, the text quoted, its files and
 * a link back to Slack. What Kibana shows when it cannot (or the target version does not) hold the message
 * as an event attachment; also the human-readable side of the snapshot next to a Kibana event attachment.
 */
export function renderEventQuote(event: EventData): string {
  const { message } = event;
  const author = message.author.name ?? message.author.id;
  const channel = `#${message.channel.name ?? message.channel.id}${message.channel.isPrivate ? ' (private channel)' : ''}`;
  const state = message.deleted ? ' (since deleted in Slack)' : message.edited ? ' (edited in Slack)' : '';
  const thread = message.threadTs && message.threadTs !== message.ts ? ', in a thread' : '';
  const parts = [
    `**Slack message from ${author}** in ${channel}${thread}, ${slackTsToIso(message.ts)}${state}`,
    blockQuote(message.text || '_(no text)_'),
  ];
  if (message.originalText !== undefined) parts.push(`Text when attached to the case:\n\n${blockQuote(message.originalText || '_(no text)_')}`);
  if (message.files.length) parts.push(`Files: ${message.files.map((file) => `\`${file.name}\``).join(', ')}`);
  if (message.permalink) parts.push(`[Open in Slack](${message.permalink})`);
  if (event.document) parts.push(`Elasticsearch document \`${event.document.id}\` in \`${event.document.index}\``);
  if (event.note) parts.push(`Note: ${event.note}`);
  return parts.join('\n\n');
}

/** Slack's message ts is seconds.microseconds since the epoch; shown as ISO time (UTC). */
function slackTsToIso(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? isoTime(Math.floor(seconds * 1000)) : ts;
}

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z, from which an ISO time has more than four digits of year. */
const YEAR_10000_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));

/**
 * `new Date(ms).toISOString()`, worked out here for 1970 to 9999 (other times are left to Date): V8's
 * toISOString takes about a microsecond, a visible share of exporting a case with a Slack message.
 */
function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  const { year, month, day } = calendarDate(days);
  const inDay = ms - days * DAY_MS;
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor(inDay / 60_000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  const millis = inDay % 1000;
  const date = `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
  return `${date}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${TWO_DIGITS[Math.floor(millis / 10)]}${millis % 10}Z`;
}

/**
 * The Gregorian date `days` days after 1970-01-01. Counted in 400-year cycles of 146,097 days from 0000-03-01,
 * years starting in March, so that a leap day is the last day of its year and months are regular from March on.
 */
function calendarDate(days: number): { year: number; month: number; day: number } {
  const sinceMarch0000 = days + 719_468;
  const cycle = Math.floor(sinceMarch0000 / 146_097);
  const dayOfCycle = sinceMarch0000 - cycle * 146_097;
  const yearOfCycle = Math.floor((dayOfCycle - Math.floor(dayOfCycle / 1_460) + Math.floor(dayOfCycle / 36_524) - Math.floor(dayOfCycle / 146_096)) / 365);
  const dayOfYear = dayOfCycle - (365 * yearOfCycle + Math.floor(yearOfCycle / 4) - Math.floor(yearOfCycle / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return {
    year: cycle * 400 + yearOfCycle + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1,
  };
}
