import { z } from 'zod';
import { indexPatternProblem } from './evidence-es/index-patterns';
import { slackEventsDataStream } from './evidence-es/slack-events-template';
import { DEFAULT_KIBANA_TARGET, KIBANA_TARGETS, type KibanaTarget } from './kibana/export/versions';
import { LOG_FORMATS, type LogFormat } from './log';

/**
 * Every runtime setting (DESIGN.md §3), validated in one pass so an operator sees every problem at once
 * instead of fixing them one restart at a time.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .url(`${name} must be an http(s) URL`)
    .refine((value) => /^https?:\/\//.test(value), `${name} must be an http(s) URL`);

const optionalUrl = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(httpUrl(name).optional());

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A duration as the settings write it (`15`, `m`) in milliseconds; the regexes only let m, h and d through. */
const durationMs = (count: string, unit: string): number => Number(count) * UNIT_MS[unit as keyof typeof UNIT_MS];
const SLA_PAIR = /^(\d+)([mhd])\/(\d+)([mhd])$/;
type SlaTargets = { acknowledge: number; resolve: number };

/** `CASEOPS_SLA_<SEVERITY>`: the time to acknowledge and the time to close, such as 15m/4h. */
const slaTargets = z
  .string()
  .trim()
  .regex(SLA_PAIR, 'must be <acknowledge>/<resolve> durations such as 15m/4h (units m, h, d)')
  .transform((value): SlaTargets => {
    const [, ackCount, ackUnit, resolveCount, resolveUnit] = SLA_PAIR.exec(value)!;
    return { acknowledge: durationMs(ackCount!, ackUnit!), resolve: durationMs(resolveCount!, resolveUnit!) };
  })
  .refine((pair) => pair.acknowledge > 0 && pair.acknowledge <= pair.resolve, 'the acknowledge time must be more than 0 and no longer than the resolve time')
  .optional();

const DURATION = /^(\d+)([mhd])$/;

/** `CASEOPS_NUDGE_<SEVERITY>`: how long an open case may go untouched before it is nudged, such as 8h. */
const nudgeAfter = z
  .string()
  .trim()
  .regex(DURATION, 'must be a duration such as 30m, 8h or 2d (units m, h, d)')
  .transform((value) => {
    const [, count, unit] = DURATION.exec(value)!;
    return durationMs(count!, unit!);
  })
  .refine((ms) => ms >= 15 * UNIT_MS.m, 'must be at least 15m (a nudge more often than that is noise)')
  .optional();

/** A comma-separated list setting, each item trimmed; empty items are ignored. */
const commaList = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

/**
 * CASEOPS_ENCRYPTION_KEY: comma-separated 32-byte keys, base64 (`openssl rand -base64 32`). The first is the
 * current key; the others are older keys still accepted while installations sealed with them are re-sealed.
 */
const encryptionKeys = commaList()
  .transform((keys) => keys.map((key) => Buffer.from(key, 'base64')))
  .refine((keys) => keys.length > 0 && keys.every((key) => key.length === 32), 'must be 32-byte keys in base64 (openssl rand -base64 32), comma-separated, the current key first');

/** Admins: a user id (an admin wherever that user acts) or `<team id>:<user id>` (an admin of that workspace only). */
const slackAdmins = commaList().refine(
  (ids) => ids.every((id) => /^(?:T[A-Z0-9]+:)?[UW][A-Z0-9]+$/.test(id)),
  'must be Slack user IDs (U… or W…), or a workspace and a user (T…:U…) for an admin of that workspace only, comma-separated',
);

const environmentSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalText.pipe(z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional()),
    SLACK_CLIENT_ID: optionalText.pipe(z.string().regex(/^\d+\.\d+$/, 'must be the app’s Client ID (digits.digits, from its Basic Information page)').optional()),
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters (it signs the OAuth state)').optional()),
    CASEOPS_ENCRYPTION_KEY: optionalText.pipe(encryptionKeys.optional()),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.pipe(
      z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
    ),
    SLACK_API_URL: optionalUrl('SLACK_API_URL').default('https://slack.com/api/'),
    PORT: z.coerce
      .number({ error: 'must be a port number (0–65535)' })
      .int('must be a port number (0–65535)')
      .min(0, 'must be a port number (0–65535)')
      .max(65535, 'must be a port number (0–65535)')
      .default(3000),
    CASEOPS_STORE: z.enum(['sqlite', 'elasticsearch'], { error: 'must be sqlite or elasticsearch' }).default('sqlite'),
    CASEOPS_DATA_DIR: z.string().trim().min(1).default('./data'),
    ELASTICSEARCH_URL: optionalUrl('ELASTICSEARCH_URL'),
    ELASTICSEARCH_API_KEY: optionalText,
    ELASTICSEARCH_USERNAME: optionalText,
    ELASTICSEARCH_PASSWORD: optionalText,
    ELASTICSEARCH_CLOUD_ID: optionalText,
    ELASTICSEARCH_CA_CERT: optionalText,
    CASEOPS_SLACK_EVENTS_NAMESPACE: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]+$/, 'must be a data stream namespace: lowercase letters, digits and _')
      .default('default'),
    CASEOPS_THREAT_INTEL_INDEX: z.string().trim().min(1).default('logs-ti_*'),
    CASEOPS_CHART_INDICES: commaList().superRefine((patterns, context) => {
      for (const pattern of patterns) {
        const problem = indexPatternProblem(pattern);
        if (problem) context.addIssue({ code: 'custom', message: `\`${pattern}\`: ${problem}` });
      }
    }),
    CASEOPS_INDEX_PREFIX: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lowercase Elasticsearch index name prefix')
      .default('caseops'),
    KIBANA_URL: optionalUrl('KIBANA_URL'),
    KIBANA_SPACE: optionalText.pipe(z.string().regex(/^[a-z0-9_-]+$/, 'must be a Kibana space id (lowercase letters, digits, _ and -)').optional()),
    KIBANA_API_KEY: optionalText,
    KIBANA_USERNAME: optionalText,
    KIBANA_PASSWORD: optionalText,
    CASEOPS_KIBANA_SYNC: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
    CASEOPS_KIBANA_POLL_MS: z.coerce.number({ error: 'must be a whole number of milliseconds' }).int().min(1_000, 'must be at least 1000 ms (Kibana is asked for changed cases at each poll)').default(10_000),
    CASEOPS_OWNER: z
      .enum(['securitySolution', 'observability', 'cases'], { error: 'must be securitySolution, observability or cases' })
      .default('securitySolution'),
    CASEOPS_ADMINS: slackAdmins,
    CASEOPS_KIBANA_VERSION: z
      .enum(KIBANA_TARGETS, { error: `must be one of ${KIBANA_TARGETS.join(', ')} (the Kibana version exports are written for)` })
      .default(DEFAULT_KIBANA_TARGET),
    CASEOPS_KIBANA_PROFILE_UIDS: commaList()
      .transform((pairs) => pairs.map((pair) => pair.split('=').map((part) => part.trim())))
      .refine((pairs) => pairs.every((pair) => pair.length === 2 && /^[UW][A-Z0-9]+$/.test(pair[0] ?? '') && (pair[1] ?? '') !== ''), 'must be SLACKUSERID=kibana-profile-uid pairs, comma-separated')
      .transform((pairs) => new Map(pairs as [string, string][])),
    CASEOPS_IMPORT_MAX_OBJECTS: z.coerce.number({ error: 'must be a whole number' }).int().positive().default(10_000),
    CASEOPS_IMPORT_MAX_BYTES: z.coerce.number({ error: 'must be a whole number of bytes' }).int().positive().default(26_214_400),
    CASEOPS_INDICATOR_IGNORE_DOMAINS: commaList()
      .transform((domains) => domains.map((domain) => domain.toLowerCase().replace(/^\*?\./, '')))
      .refine((domains) => domains.every((domain) => /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain)), 'must be domain names, comma-separated'),
    CASEOPS_INDICATOR_PRIVATE_IPS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    // A reaction's name as Slack gives it: letters, digits, _ + - (no colons).
    CASEOPS_ROOM_REACTION: z
      .string()
      .trim()
      .regex(/^[a-z0-9_+-]+$/, 'must be a reaction name such as pushpin (no colons)')
      .default('pushpin'),
    CASEOPS_OUTBOX_POLL_MS: z.coerce.number({ error: 'must be a whole number of milliseconds' }).int().min(50, 'must be at least 50 ms').default(1_000),
    CASEOPS_OUTBOX_GIVE_UP_MINUTES: z.coerce.number({ error: 'must be a number of minutes' }).positive('must be more than 0 minutes').default(30),
    CASEOPS_SLA_CRITICAL: slaTargets,
    CASEOPS_SLA_HIGH: slaTargets,
    CASEOPS_SLA_MEDIUM: slaTargets,
    CASEOPS_SLA_LOW: slaTargets,
    CASEOPS_NUDGE_CRITICAL: nudgeAfter,
    CASEOPS_NUDGE_HIGH: nudgeAfter,
    CASEOPS_NUDGE_MEDIUM: nudgeAfter,
    CASEOPS_NUDGE_LOW: nudgeAfter,
    CASEOPS_SLA_WARN_AT_PERCENT: z.coerce.number({ error: 'must be a whole percentage' }).int().min(1, 'must be between 1 and 99').max(99, 'must be between 1 and 99').default(80),
    CASEOPS_TIME_ZONE: z
      .string()
      .trim()
      .default('UTC')
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as UTC or Europe/Paris'),
    CHART_RENDERER: z.enum(['local', 'quickchart'], { error: 'must be local or quickchart' }).default('local'),
    QUICKCHART_URL: optionalUrl('QUICKCHART_URL'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('json'),
  });

/**
 * Rules that relate several settings. They read the raw environment so they are reported even when another
 * setting is malformed (zod skips refinements of an object whose fields failed).
 */
function crossSettingProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [...slackAuthProblems(set, env)];
  if (!set('SLACK_APP_TOKEN') && !set('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode: the signing secret from the app’s Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if ((env.CASEOPS_STORE ?? '').trim() === 'elasticsearch' && !set('ELASTICSEARCH_URL') && !set('ELASTICSEARCH_CLOUD_ID')) {
    problems.push('ELASTICSEARCH_URL is required when CASEOPS_STORE=elasticsearch (or set ELASTICSEARCH_CLOUD_ID)');
  }
  if (set('ELASTICSEARCH_USERNAME') !== set('ELASTICSEARCH_PASSWORD')) {
    problems.push('ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together');
  }
  if (set('KIBANA_USERNAME') !== set('KIBANA_PASSWORD')) {
    problems.push('KIBANA_USERNAME and KIBANA_PASSWORD must be set together');
  }
  if ((env.CASEOPS_KIBANA_SYNC ?? '').trim() === 'on') {
    if (!set('KIBANA_URL')) problems.push('KIBANA_URL is required when CASEOPS_KIBANA_SYNC=on: the Kibana that keeps the cases (https://kibana.example.com)');
    if (!set('KIBANA_API_KEY') && !set('KIBANA_USERNAME')) {
      problems.push('KIBANA_API_KEY (or KIBANA_USERNAME and KIBANA_PASSWORD) is required when CASEOPS_KIBANA_SYNC=on: a key with the Cases "All" privilege of the space\'s Security feature');
    }
  }
  if ((env.CHART_RENDERER ?? '').trim() === 'quickchart') {
    const url = (env.QUICKCHART_URL ?? '').trim();
    if (url === '') {
      problems.push('QUICKCHART_URL is required when CHART_RENDERER=quickchart');
    } else if (/^https?:\/\/([^/]*\.)?quickchart\.io(?:[:/]|$)/i.test(url)) {
      // Case data must never leave the team's own infrastructure.
      problems.push('QUICKCHART_URL must point at a self-hosted QuickChart, never the public quickchart.io');
    }
  }
  return problems;
}

/**
 * One workspace with SLACK_BOT_TOKEN, or OAuth distribution (any workspace installs it with "Add to Slack") with
 * the app's client credentials: one or the other. OAuth's install pages are HTTP routes, so it needs HTTP mode;
 * and the Kibana sync speaks for one workspace's cases.
 */
function slackAuthProblems(set: (name: string) => boolean, env: NodeJS.ProcessEnv): string[] {
  if (!set('SLACK_CLIENT_ID')) {
    return set('SLACK_BOT_TOKEN')
      ? []
      : ['SLACK_BOT_TOKEN is required: the bot token (xoxb-…) from the app’s OAuth & Permissions page (or set SLACK_CLIENT_ID and the other OAuth settings to let any workspace install caseops)'];
  }
  const problems = OAUTH_SETTINGS.filter(([name]) => !set(name)).map(([name, what]) => `${name} is required when SLACK_CLIENT_ID is set: ${what}`);
  if (set('SLACK_BOT_TOKEN')) problems.push('SLACK_BOT_TOKEN and SLACK_CLIENT_ID cannot both be set: one workspace uses its bot token, OAuth distribution keeps one per installation');
  if (set('SLACK_APP_TOKEN')) problems.push('SLACK_APP_TOKEN cannot be used with SLACK_CLIENT_ID: OAuth distribution serves its install pages over HTTP (unset SLACK_APP_TOKEN)');
  if ((env.CASEOPS_KIBANA_SYNC ?? '').trim() === 'on') problems.push('CASEOPS_KIBANA_SYNC=on needs one workspace (SLACK_BOT_TOKEN): it mirrors one workspace’s cases into one Kibana');
  return problems;
}

const OAUTH_SETTINGS: [string, string][] = [
  ['SLACK_CLIENT_SECRET', 'the Client Secret from the app’s Basic Information page'],
  ['SLACK_STATE_SECRET', 'a random secret of at least 16 characters that signs the OAuth state'],
  ['CASEOPS_ENCRYPTION_KEY', 'the key that encrypts stored bot tokens (openssl rand -base64 32)'],
];

export interface Config {
  slack: {
    /** One workspace: its bot token. Absent in OAuth distribution. */
    botToken?: string;
    /** OAuth distribution: set instead of botToken. */
    oauth?: SlackOAuthSettings;
    signingSecret?: string;
    appToken?: string;
    apiUrl: string;
  };
  port: number;
  store: 'sqlite' | 'elasticsearch';
  dataDir: string;
  elasticsearch: {
    url?: string;
    apiKey?: string;
    username?: string;
    password?: string;
    cloudId?: string;
    caCert?: string;
    indexPrefix: string;
    /** Attached messages go to the data stream logs-caseops.slack-<namespace>. */
    slackEventsNamespace: string;
    /** Where indicators are looked up. */
    threatIntelIndex: string;
    /**
     * The index patterns `/case chart … query` may read: what caseops' API key shows to any channel member.
     * By default the Slack events stream, Security alerts and `logs-*`; an operator widens or narrows it.
     */
    chartIndices: string[];
  };
  kibana: {
    url?: string;
    space?: string;
    /** The Kibana version exports are written for. */
    exportVersion: KibanaTarget;
    /** Slack user id → Kibana user profile uid, for assignees and authors. */
    profileUids: ReadonlyMap<string, string>;
    /** Kibana's own import limits by default (savedObjects.maxImportExportSize, maxImportPayloadBytes). */
    importLimits: { maxObjects: number; maxBytes: number };
    /** Live sync with Kibana Cases (CASEOPS_KIBANA_SYNC=on): its credential. Absent when sync is off. */
    sync?: { url: string; credential: KibanaCredential; pollMs: number };
  };
  owner: 'securitySolution' | 'observability' | 'cases';
  admins: string[];
  indicators: { ignoreDomains: string[]; includePrivateIps: boolean };
  /** War rooms: the reaction that attaches a message of the room to its case. */
  rooms: { reaction: string };
  charts: { renderer: 'local' | 'quickchart'; quickchartUrl?: string };
  /** Charts bucket days and label times in this zone. */
  timeZone: string;
  /** Delivery of effects (outbox): how often every replica looks for due ones, and when one is given up on. */
  outbox: { pollMs: number; giveUpAfterMs: number };
  /** SLA targets (milliseconds) of the severities set; the others keep their defaults (cases/sla.ts). */
  sla: { targets: Partial<Record<'critical' | 'high' | 'medium' | 'low', SlaTargets>>; warnAtPercent: number };
  /** How long an open case may go untouched before it is nudged (milliseconds), for the severities set (cases/nudges.ts). */
  nudges: Partial<Record<'critical' | 'high' | 'medium' | 'low', number>>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logFormat: LogFormat;
}

export interface SlackOAuthSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** AES-256 keys: the first seals installations, every one opens them (key rotation). */
  encryptionKeys: Buffer[];
}

/** How caseops signs in to Kibana: an API key (`id:key` base64, as Kibana shows it) or a user. */
export type KibanaCredential = { apiKey: string } | { username: string; password: string };

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function loadConfig(rawEnv: NodeJS.ProcessEnv): ConfigResult {
  // An empty `NAME=` line in .env means "not set", so it takes the default rather than failing as malformed.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = environmentSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`)),
    ...crossSettingProblems(env),
  ];
  if (!parsed.success || problems.length > 0) {
    return { ok: false, problems: [...new Set(problems)] };
  }
  const e = parsed.data;
  return {
    ok: true,
    config: {
      slack: {
        ...(e.SLACK_CLIENT_ID
          ? { oauth: { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET!, encryptionKeys: e.CASEOPS_ENCRYPTION_KEY! } }
          : { botToken: e.SLACK_BOT_TOKEN }),
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      },
      port: e.PORT,
      store: e.CASEOPS_STORE,
      dataDir: e.CASEOPS_DATA_DIR,
      elasticsearch: {
        url: e.ELASTICSEARCH_URL,
        apiKey: e.ELASTICSEARCH_API_KEY,
        username: e.ELASTICSEARCH_USERNAME,
        password: e.ELASTICSEARCH_PASSWORD,
        cloudId: e.ELASTICSEARCH_CLOUD_ID,
        caCert: e.ELASTICSEARCH_CA_CERT,
        indexPrefix: e.CASEOPS_INDEX_PREFIX,
        slackEventsNamespace: e.CASEOPS_SLACK_EVENTS_NAMESPACE,
        threatIntelIndex: e.CASEOPS_THREAT_INTEL_INDEX,
        chartIndices: e.CASEOPS_CHART_INDICES.length ? e.CASEOPS_CHART_INDICES : [slackEventsDataStream(e.CASEOPS_SLACK_EVENTS_NAMESPACE), '.alerts-security.alerts-*', 'logs-*'],
      },
      kibana: {
        url: e.KIBANA_URL,
        space: e.KIBANA_SPACE,
        exportVersion: e.CASEOPS_KIBANA_VERSION,
        profileUids: e.CASEOPS_KIBANA_PROFILE_UIDS,
        importLimits: { maxObjects: e.CASEOPS_IMPORT_MAX_OBJECTS, maxBytes: e.CASEOPS_IMPORT_MAX_BYTES },
        ...(e.CASEOPS_KIBANA_SYNC === 'on' && e.KIBANA_URL
          ? { sync: { url: e.KIBANA_URL, credential: e.KIBANA_API_KEY ? { apiKey: e.KIBANA_API_KEY } : { username: e.KIBANA_USERNAME!, password: e.KIBANA_PASSWORD! }, pollMs: e.CASEOPS_KIBANA_POLL_MS } }
          : {}),
      },
      owner: e.CASEOPS_OWNER,
      admins: e.CASEOPS_ADMINS,
      indicators: { ignoreDomains: e.CASEOPS_INDICATOR_IGNORE_DOMAINS, includePrivateIps: e.CASEOPS_INDICATOR_PRIVATE_IPS === 'true' },
      rooms: { reaction: e.CASEOPS_ROOM_REACTION },
      charts: { renderer: e.CHART_RENDERER, quickchartUrl: e.QUICKCHART_URL },
      timeZone: e.CASEOPS_TIME_ZONE,
      outbox: { pollMs: e.CASEOPS_OUTBOX_POLL_MS, giveUpAfterMs: Math.round(e.CASEOPS_OUTBOX_GIVE_UP_MINUTES * 60_000) },
      sla: {
        targets: setOnly({ critical: e.CASEOPS_SLA_CRITICAL, high: e.CASEOPS_SLA_HIGH, medium: e.CASEOPS_SLA_MEDIUM, low: e.CASEOPS_SLA_LOW }),
        warnAtPercent: e.CASEOPS_SLA_WARN_AT_PERCENT,
      },
      nudges: setOnly({ critical: e.CASEOPS_NUDGE_CRITICAL, high: e.CASEOPS_NUDGE_HIGH, medium: e.CASEOPS_NUDGE_MEDIUM, low: e.CASEOPS_NUDGE_LOW }),
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT,
    },
  };
}

/** The per-severity settings that are set: the others keep their defaults. */
function setOnly<T>(bySeverity: Record<'critical' | 'high' | 'medium' | 'low', T | undefined>): Partial<Record<'critical' | 'high' | 'medium' | 'low', T>> {
  return Object.fromEntries(Object.entries(bySeverity).filter(([, set]) => set !== undefined)) as Partial<Record<'critical' | 'high' | 'medium' | 'low', T>>;
}

/** The single start-up message an operator reads when settings are missing or malformed. */
export function describeConfigProblems(problems: string[]): string {
  return [
    'caseops cannot start: fix these settings (environment or .env; see .env.example):',
    ...problems.map((problem) => `  - ${problem}`),
  ].join('\n');
}
