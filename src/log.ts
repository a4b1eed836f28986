import { ecsFormat } from '@elastic/ecs-pino-format';
import pino, { type Logger as PinoLogger, type DestinationStream, type LoggerOptions } from 'pino';
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';

export type Logger = PinoLogger;

/** `json`: pino's own JSON lines; `ecs`: Elastic Common Schema JSON lines, ready for Filebeat or Elastic Agent. */
export const LOG_FORMATS = ['json', 'ecs'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Slack tokens, signing-secret-like values and bearer credentials, wherever they appear in a string. */
const SECRET_PATTERN = /\b(xox[abeoprs]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|(?:Bearer|Basic|ApiKey)\s+[A-Za-z0-9._~+/=-]+)/g;
/** Keys whose values are secrets whatever they look like. */
const SECRET_KEY = /^(authorization|token|bot_?token|app_?token|access_?token|refresh_?token|signing_?secret|client_?secret|state_?secret|encryption_?keys?|password|api_?key|apikey|x-slack-signature|cookie|set-cookie)$/i;
const REDACTED = '[redacted]';

export function scrubText(text: string): string {
  return text.replace(SECRET_PATTERN, REDACTED);
}

/**
 * Deep copy of a log payload with secrets replaced. Path-based redaction alone is not enough: Bolt and the
 * Web API client put tokens inside error messages and nested request configs whose shape we do not control.
 */
export function scrubSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), stack: value.stack && scrubText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) && inner != null && inner !== '' ? REDACTED : scrubSecrets(inner, depth + 1);
  }
  return copy;
}

export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  return pino(
    {
      level,
      ...FORMAT_OPTIONS[format](),
      hooks: {
        // Message strings bypass `formatters.log`, so they are scrubbed here.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Pino's settings for each format; either way every logged object passes through scrubSecrets last. */
const FORMAT_OPTIONS: Record<LogFormat, () => LoggerOptions> = {
  json: () => ({
    base: { app: 'caseops' },
    formatters: { log: (object) => scrubSecrets(object) as Record<string, unknown> },
  }),
  ecs: () => {
    const ecs = ecsFormat({ serviceName: 'caseops' });
    const ecsLog = ecs.formatters!.log!;
    return {
      ...ecs,
      formatters: {
        ...ecs.formatters,
        // The ECS formatter turns `err` into `error.*` first, so the scrub sees (and cleans) the final fields.
        log: (object) => scrubSecrets(ecsLog(object)) as Record<string, unknown>,
      },
    };
  },
};

const SLACK_LEVEL_OF: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/**
 * Bolt and the Web API client log through `@slack/logger`'s variadic interface; this routes them into pino so
 * one stream, one format and one redaction policy cover everything.
 */
export function toSlackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) => {
    // Bolt logs at debug on every request; formatting those only to drop them would tax every ack.
    if (!child.isLevelEnabled(level)) return;
    const error = messages.find((message): message is Error => message instanceof Error);
    const text = messages
      .filter((message) => !(message instanceof Error))
      .map((message) => (typeof message === 'string' ? message : JSON.stringify(scrubSecrets(message))))
      .join(' ');
    if (error) child[level]({ err: error }, text || error.message);
    else child[level](text);
  };
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    // Our LOG_LEVEL governs; Bolt calls setLevel at construction and must not override it.
    setLevel: () => undefined,
    getLevel: () => SLACK_LEVEL_OF[logger.level] ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
