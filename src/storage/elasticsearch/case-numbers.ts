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
 */

interface CounterSource {
  team_id: string;
  last_number: number;
  last_op: string;
}

/** Enough for dozens of replicas creating cases in the same team at the same instant. */
const MAX_ATTEMPTS = 60;

export async function allocateCaseNumber(client: Client, index: string, teamId: string, op: string): Promise<number> {
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
