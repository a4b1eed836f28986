import type { CaseAccess } from '../cases/case-access';
import type { EvidenceService } from '../cases/evidence-service';
import type { Owner } from '../cases/model';
import type { CaseService } from '../cases/service';
import type { KibanaCredential } from '../config';
import type { ProfileUids } from '../kibana/users';
import type { Logger } from '../log';
import type { EffectHandlers } from '../outbox/dispatcher';
import type { KibanaLinker } from '../cases/kibana-link';
import { KibanaCasesClient } from './client';
import { CredentialAlarm } from './credential-alarm';
import { MirrorRecords } from './mirror-records';
import { KibanaPeople, type SlackUserByEmail } from './kibana-people';
import { KibanaLinks } from './links';
import { KibanaPoller } from './poller';
import { KibanaPull } from './pull';
import { kibanaPushHandler } from './push';

export { classifyKibanaFailure } from './kibana-failures';

export interface KibanaSyncOptions {
  /** CASEOPS_KIBANA_SYNC=on: where Kibana is, how to sign in, how often to look for changes. Absent: sync is off. */
  sync?: { url: string; credential: KibanaCredential; pollMs: number };
  space?: string;
  owner: Owner;
  access: CaseAccess;
  service: CaseService;
  evidence: EvidenceService;
  profileUids: ProfileUids;
  /** Finds a Kibana user in Slack by their email (users.lookupByEmail); undefined: only the operator's mapping counts. */
  slackUserByEmail?: SlackUserByEmail;
  /** This replica's name on the pull's lease. */
  replica: string;
  /** Direct messages to the admins (CASEOPS_ADMINS), for what only they can fix; undefined when there are none. */
  tellAdmins?: (text: string) => Promise<void>;
  logger: Logger;
}

/** Live sync with Kibana Cases: the delivery of `kibana_push` effects (Slack → Kibana) and the pull (Kibana → Slack). */
export interface KibanaSync {
  handlers: Pick<EffectHandlers, 'kibana_push'>;
  /** `/case link`; undefined with sync off. */
  links?: KibanaLinker;
  start(): void;
  stop(): Promise<void>;
}

/**
 * With sync off, a push recorded while it was on is settled without a request (turning sync off means the mirror is
 * no longer kept), and nothing is pulled.
 */
export function kibanaMirroring(options: KibanaSyncOptions): KibanaSync {
  const { sync, logger } = options;
  if (!sync) {
    const settle: Pick<EffectHandlers, 'kibana_push'> = {
      kibana_push: {
        async deliver(effect) {
          logger.info({ effectId: effect.id, stream: effect.stream }, 'Kibana sync is off: a change recorded while it was on is not pushed');
        },
      },
    };
    return { handlers: settle, start: () => undefined, stop: async () => undefined };
  }
  const alarm = new CredentialAlarm({ leases: options.access.store.outbox, replica: options.replica, space: options.space, tellAdmins: options.tellAdmins, logger });
  const client = new KibanaCasesClient({ url: sync.url, space: options.space, credential: sync.credential, onCredentialRefused: (error) => alarm.refused(error) });
  const { access, service, evidence } = options;
  const mirrors = new MirrorRecords(access);
  const people = new KibanaPeople(options.profileUids, options.slackUserByEmail, logger);
  const pull = new KibanaPull({ client, store: access.store, mirrors, service, evidence, people, owner: options.owner, logger }, access.now());
  const poller = new KibanaPoller(pull, access.store.outbox, options.replica, sync.pollMs, logger);
  return {
    handlers: { kibana_push: kibanaPushHandler({ client, store: access.store, mirrors, people }) },
    links: new KibanaLinks({ client, store: access.store, service, mirrors, people, owner: options.owner }),
    start: () => poller.start(),
    stop: () => poller.stop(),
  };
}
