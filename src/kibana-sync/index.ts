import type { CaseAccess } from '../cases/case-access';
import type { KibanaCredential } from '../config';
import type { ProfileUids } from '../kibana/users';
import type { Logger } from '../log';
import type { EffectHandlers } from '../outbox/dispatcher';
import { KibanaCasesClient } from './client';
import { MirrorRecords } from './mirror-records';
import { kibanaPushHandler } from './push';

export { classifyKibanaFailure } from './kibana-failures';

export interface KibanaSyncOptions {
  /** CASEOPS_KIBANA_SYNC=on: where Kibana is and how to sign in. Absent: sync is off. */
  sync?: { url: string; credential: KibanaCredential };
  space?: string;
  access: CaseAccess;
  profileUids: ProfileUids;
  logger: Logger;
}

/**
 * The delivery of `kibana_push` effects. With sync off, a push recorded while it was on is settled without a
 * request: turning sync off means the mirror is no longer kept.
 */
export function kibanaSyncHandlers(options: KibanaSyncOptions): Pick<EffectHandlers, 'kibana_push'> {
  if (!options.sync) {
    return {
      kibana_push: {
        async deliver(effect) {
          options.logger.info({ effectId: effect.id, stream: effect.stream }, 'Kibana sync is off: a change recorded while it was on is not pushed');
        },
      },
    };
  }
  const client = new KibanaCasesClient({ url: options.sync.url, space: options.space, credential: options.sync.credential });
  return { kibana_push: kibanaPushHandler({ client, store: options.access.store, mirrors: new MirrorRecords(options.access), profileUids: options.profileUids }) };
}
