import { until } from '../reliability/support/async';
import { Harness } from '../support/harness';
import { KibanaStandIn } from '../support/kibana-cases';
import type { KibanaCase, StandInUser } from '../support/kibana-cases/types';
import { fromStore } from './support';

/** caseops with live sync on, against a Kibana stand-in that checks every request against Kibana's OpenAPI document. */

export const TEAM = 'T0001';
/** The Kibana user caseops' API key belongs to. */
export const CASEOPS = { username: 'caseops', full_name: 'caseops', email: 'caseops@example.com', apiKey: 'caseops-api-key' };
/** A Kibana user the operator mapped to the Slack user U0ANA. */
export const ANA = { username: 'ana', full_name: 'Ana Lopez', email: 'ana@example.com', profile_uid: 'u_ana', apiKey: 'ana-api-key' };

export interface SyncedPair {
  kibana: KibanaStandIn;
  harness: Harness;
}

export async function startSynced(users: StandInUser[] = []): Promise<SyncedPair> {
  const kibana = await KibanaStandIn.start({ users: [CASEOPS, ANA, ...users] });
  const harness = await Harness.start({
    env: { CASEOPS_KIBANA_SYNC: 'on', KIBANA_URL: kibana.url, KIBANA_API_KEY: CASEOPS.apiKey, CASEOPS_OUTBOX_POLL_MS: '100', CASEOPS_KIBANA_POLL_MS: '1000', CASEOPS_ADMINS: 'U0ADMIN', CASEOPS_KIBANA_PROFILE_UIDS: `U0ANA=${ANA.profile_uid}` },
  });
  return { kibana, harness };
}

/** Stops both, and checks that every request caseops made conformed to Kibana's contract and the stand-in answered by it. */
export async function stopSynced({ kibana, harness }: SyncedPair): Promise<void> {
  await harness.stop();
  await kibana.stop();
  expect(kibana.violations).toEqual([]);
  expect(kibana.responseViolations).toEqual([]);
}

export async function mirrorOf(harness: Harness, number: number) {
  const theCase = await fromStore(harness, (store) => store.getCase(TEAM, { number }));
  return theCase?.kibanaMirror;
}

/** The case's mirror in Kibana, once it exists. */
export async function mirrored({ kibana, harness }: SyncedPair, number: number): Promise<KibanaCase> {
  await until(`case #${number} mirrored in Kibana`, async () => Boolean((await mirrorOf(harness, number))?.id), 15_000);
  return kibana.getCase((await mirrorOf(harness, number))!.id!)!;
}
