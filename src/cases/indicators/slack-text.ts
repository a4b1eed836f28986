/**
 * Slack's message text format ("mrkdwn" as the Events API delivers it) turned back into the text the person typed,
 * so indicators can be found in it and their `raw` reads as written.
 * https://api.slack.com/reference/surfaces/formatting#retrieving-messages
 */

/** `<…>` is always markup: Slack escapes a literal `<` or `>` typed by the user as an entity. */
const SLACK_MARKUP = /<([^<>]*)>/g;

/** Slack escapes exactly these three characters, and nothing else. */
const SLACK_ENTITY = /&(amp|lt|gt);/g;
const ENTITY_TEXT: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>' };

/** Schemes Slack puts in front of what it auto-links: `evil.com` arrives as `<http://evil.com|evil.com>`. */
const AUTO_LINK_SCHEMES = ['http://', 'https://', 'mailto:'];

export function slackToPlainText(text: string): string {
  // Markup first, entities second: a URL inside `<…>` carries its own `&amp;`, decoded with the rest.
  return text.replace(SLACK_MARKUP, (_, inner: string) => ` ${renderMarkup(inner)} `).replace(SLACK_ENTITY, decodeEntity);
}

/**
 * Padded with spaces by the caller because the markup is a token of its own: `see<https://x.y>` must not glue the
 * URL to the word before it.
 */
function renderMarkup(inner: string): string {
  // `<@U123>`, `<#C123|general>`, `<!here>`, `<!subteam^S1|@soc>`, `<!date^…|fallback>`: people and dates, never indicators.
  if (/^[@#!]/.test(inner)) return '';
  const separator = inner.indexOf('|');
  const target = separator < 0 ? inner : inner.slice(0, separator);
  const label = separator < 0 ? undefined : inner.slice(separator + 1);
  return renderLink(target, label);
}

/**
 * A link with a label the user chose (`<https://evil.example/login|Microsoft 365>`) keeps both: the label can be a
 * second indicator (a look-alike shown over a different target). A link Slack made on its own keeps only what the user
 * typed, so `evil.com` stays a domain rather than becoming the URL `http://evil.com` nobody wrote.
 */
function renderLink(target: string, label: string | undefined): string {
  if (label === undefined) return stripMailto(target);
  if (isAutoLink(target, label)) return label;
  return `${stripMailto(target)} ${label}`;
}

function isAutoLink(target: string, label: string): boolean {
  return target === label || AUTO_LINK_SCHEMES.some((scheme) => target === scheme + label);
}

/** An email address is the indicator; `mailto:` is only how Slack marks it as a link. */
function stripMailto(target: string): string {
  return target.replace(/^mailto:/i, '');
}

function decodeEntity(entity: string, name: string): string {
  return ENTITY_TEXT[name] ?? entity;
}
