import type { Client } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';
import { backoffDelay, sleep } from './backoff';
import { readDocument } from './document-io';
import { isConflict } from './errors';

/**
 * Case numbers per team from a counter document (`<prefix>-counters`, id = team id) advanced with
 * if_seq_no/if_primary_term: of several replicas reading the same value, exactly one writes the next, and the
 * others read again. `last_op` makes a repeated request harmless: if the client retried a write that had in
 * fact landed, the operation finds its own number instead of taking another.
 *
 * Each number handed out is also recorded in a document of its own (id `<team>#<number>`, the case id), so a
 * case is found by its number with two real-time gets rather than a near-real-time search. It is written before
 * the case commits; a creation that then fails leaves a record pointing at no case, and the number unused.
 */

interface CounterSource {
  team_id: string;
  last_number: number;
  last_op: string;
}

interface NumberSource {
  team_id: string;
  number: number;
  case_id: string;
}

/** Enough for dozens of replicas creating cases in the same team at the same instant. */
const MAX_ATTEMPTS = 60;

/** The team's next number, recorded as the number of case `caseId`. */
export async function allocateCaseNumber(client: Client, index: string, teamId: string, op: string, caseId: string): Promise<number> {
  const number = await advanceCounter(client, index, teamId, op);
  const record = caseNumberRecord(teamId, number, caseId);
  // Overwrites only a record of this same operation (a repeated request): no other one is given this number.
  await client.index({ index, id: record.id, document: record.source });
  return number;
}

/** The id of the case that was given `number` in the team, if the number was recorded (see above). */
export async function caseIdOfNumber(client: Client, index: string, teamId: string, number: number): Promise<string | null> {
  return (await readDocument<NumberSource>(client, index, numberRecordId(teamId, number)))?.source.case_id ?? null;
}

/** The record of a case's number, for loaders that write cases directly (bulk-load.ts). */
export function caseNumberRecord(teamId: string, number: number, caseId: string): { id: string; source: NumberSource } {
  return { id: numberRecordId(teamId, number), source: { team_id: teamId, number, case_id: caseId } };
}

/** Team ids are Slack's (T…, E…): no `#`, so a record never takes a counter's id. */
function numberRecordId(teamId: string, number: number): string {
  return `${teamId}#${number}`;
}

async function advanceCounter(client: Client, index: string, teamId: string, op: string): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const counter = await readDocument<CounterSource>(client, index, teamId);
    if (counter?.source.last_op === op) return counter.source.last_number;
    const next: CounterSource = { team_id: teamId, last_number: (counter?.source.last_number ?? 0) + 1, last_op: op };
    try {
      if (counter) await client.index({ index, id: teamId, document: next, if_seq_no: counter.seqNo, if_primary_term: counter.primaryTerm });
      else await client.create({ index, id: teamId, document: next });
      return next.last_number;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    await sleep(backoffDelay(attempt));
  }
  throw new StoreUnavailableError(`no case number could be assigned in team ${teamId} after ${MAX_ATTEMPTS} attempts`);
}
