import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '../reliability/support/async';
import type { UserAction } from '../support/kibana-cases/types';
import { mirrored, mirrorOf, startSynced, stopSynced, type SyncedPair } from './kibana-support';
import { openCaseByCommand, runCommand, settle, textOf } from './support';

/**
 * Kibana down for five minutes while two cases are worked in Slack, a change every fifteen seconds: the push lanes back
 * off to their 30 s ceiling and keep trying; when Kibana answers again every change lands, in the order it was made
 * in Slack, once. Real time on purpose: what is tested is how the retries behave over a long outage.
 */

const OUTAGE_MS = 5 * 60_000;
const CHANGES = 20;
const EVERY_MS = OUTAGE_MS / CHANGES;

let pair: SyncedPair;

beforeEach(async () => {
  pair = await startSynced();
});

afterEach(() => stopSynced(pair));

/** A case's n-th change, and the user action Kibana records for it, as `type:value`. */
function change(n: number): { command: (number: number) => string; recorded: string } {
  const severities = ['medium', 'high', 'critical', 'low'];
  const status = n % 8 === 3 ? 'in-progress' : 'open';
  switch (n % 4) {
    case 0:
      return { command: (number) => `severity ${number} ${severities[(n / 4) % 4]}`, recorded: `severity:${severities[(n / 4) % 4]}` };
    case 1:
      return { command: (number) => `tag ${number} #change-${n}`, recorded: `tags:change-${n}` };
    case 2:
      return { command: (number) => `comment ${number} Change ${n}, made during the outage`, recorded: `comment:Change ${n}, made during the outage` };
    default:
      return { command: (number) => `status ${number} ${status}`, recorded: `status:${status}` };
  }
}

function recorded(action: UserAction): string {
  const payload = action.payload as Record<string, unknown>;
  if (action.type === 'tags') return `tags:${(payload.tags as string[]).join(',')}`;
  if (action.type === 'comment') return `comment:${(payload.comment as { comment: string }).comment}`;
  return `${action.type}:${String(payload[action.type])}`;
}

test(
  'Kibana down for five minutes of changes: everything lands after, in order, once',
  async () => {
    const { kibana, harness } = pair;
    const cases = [await openCaseByCommand(harness, 'Exfiltration over DNS from the build farm'), await openCaseByCommand(harness, 'Beaconing from a lobby kiosk')];
    const mirrors = [await mirrored(pair, cases[0]!.number), await mirrored(pair, cases[1]!.number)];
    const wanted: string[][] = [[], []];

    kibana.down();
    const downAt = Date.now();
    for (let step = 0; step < CHANGES; step += 1) {
      const which = step % 2;
      const made = change(Math.floor(step / 2));
      await runCommand(harness, made.command(cases[which]!.number));
      wanted[which]!.push(made.recorded);
      await sleep(Math.max(0, downAt + (step + 1) * EVERY_MS - Date.now()));
    }
    // Five minutes later, nothing reached Kibana, and both cards say so.
    expect(mirrors.map((mirror) => kibana.userActions(mirror.id).length)).toEqual([1, 1]);
    for (const opened of cases) expect(textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks)).toContain('Kibana sync pending');

    kibana.up();
    await until('every change in Kibana', () => mirrors.every((mirror, which) => kibana.userActions(mirror.id).length === 1 + wanted[which]!.length), 90_000);
    for (const [which, mirror] of mirrors.entries()) {
      expect(kibana.userActions(mirror.id).slice(1).map(recorded)).toEqual(wanted[which]);
    }
    await until('the pending marks cleared', async () => !(await mirrorOf(harness, cases[0]!.number))?.behind && !(await mirrorOf(harness, cases[1]!.number))?.behind, 15_000);
    // Once: a few more seconds of polling and retrying add nothing.
    await sleep(3_000);
    expect(mirrors.map((mirror) => kibana.userActions(mirror.id).length)).toEqual(wanted.map((list) => 1 + list.length));
    expect(kibana.cases()).toHaveLength(2);
    await settle(harness);
    for (const opened of cases) expect(textOf(harness.emulator.messagesIn('C0PUBLIC').find((message) => message.ts === opened.card.ts)!.blocks)).not.toContain('Kibana sync pending');
    // The 503s were Kibana's, not the key's: nobody was told to fix a credential.
    expect(harness.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel === 'U0ADMIN')).toHaveLength(0);
  },
  OUTAGE_MS + 180_000,
);
