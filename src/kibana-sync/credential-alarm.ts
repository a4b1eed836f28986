import { randomUUID } from 'node:crypto';
import type { OutboxStore } from '../cases/outbox';
import type { Logger } from '../log';
import type { KibanaRequestError } from './client';

/** The lease that says the admins were told: one notice per day across every replica, however many requests fail. */
const NOTICE_STREAM = 'kibana-credential-notice';
const NOTICE_EVERY_MS = 24 * 3_600_000;

export interface CredentialAlarmOptions {
  leases: OutboxStore;
  replica: string;
  space?: string;
  /** Sends the text to each admin by direct message; undefined when there are no admins to tell. */
  tellAdmins?: (text: string) => Promise<void>;
  logger: Logger;
  now?: () => Date;
}

/**
 * Kibana refusing caseops' credential (401: the key is wrong or revoked; 403: its user lacks the Cases privilege) is
 * for an admin to fix, and nothing else will: the admins get one direct message saying what is missing, and then one
 * a day while it lasts. Meanwhile pushes wait in the outbox and nothing is pulled.
 */
export class CredentialAlarm {
  constructor(private readonly options: CredentialAlarmOptions) {}

  async refused(error: KibanaRequestError): Promise<void> {
    const { leases, replica, logger } = this.options;
    logger.warn({ status: error.status, detail: error.detail }, 'Kibana refuses caseops\' credential');
    const told = await leases.acquireLease(NOTICE_STREAM, `${replica}/${randomUUID()}`, (this.options.now ?? (() => new Date()))(), NOTICE_EVERY_MS);
    if (!told || !this.options.tellAdmins) return;
    await this.options.tellAdmins(noticeText(error, this.options.space ?? 'default'));
  }
}

function noticeText(error: KibanaRequestError, space: string): string {
  const needs = `a user or role with the *Cases: All* privilege of the Security feature in the Kibana space \`${space}\``;
  const problem =
    error.status === 401
      ? `Kibana does not accept caseops' credential (401: ${error.detail}). Set \`KIBANA_API_KEY\` (or \`KIBANA_USERNAME\`/\`KIBANA_PASSWORD\`) to a valid key of ${needs}.`
      : `Kibana refuses caseops (403: ${error.detail}): its key's user lacks a privilege. It needs ${needs}.`;
  return `:warning: *Kibana live sync is stopped.* ${problem} Changes made in Slack wait and land once Kibana accepts the key; until then nothing made in Kibana reaches Slack.`;
}
