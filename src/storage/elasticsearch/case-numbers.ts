import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreUnavailableError } from '../../cases/errors';
import { backoffDelay, sleep } from './backoff';
import { readDocument, sequenceOf, type Versioned } from './document-io';
import { isConflict } from './errors';

/**
 * Case numbers per team from a counter document (`<prefix>-counters`, id = team id) advanced with
 * if_seq_no/if_primary_term: of several replicas reading the same value, exactly one writes the next, and the
 * others read again. `last_op` makes a repeated request harmless: if the client retried a write that had in
 * fact landed, the operation finds its own number instead of taking another.
 *
 * A replica remembers the counter as it last wrote it, so its next creation in the team writes the next number at
 * once, without reading first; when another replica moved the counter meanwhile, that write is refused and the
 * counter read again. A replica that has not remembered it reads it first.
 *
 * A creation takes its number while it stages its children, not after, which saves a round trip; a creation that
 * does not commit then hands the number back (`release`) unless a later one was taken meanwhile.
 *
 * Each number handed out is also recorded in a document of its own (id `<team>#<number>`, the case id), so a
 * case is found by its number with two real-time gets rather than a near-real-time search. It is written right
 * after the case commits, in the bulk request that finalises the case's children (`numberRecordWrite`); a creation
 * that dies in between leaves a case without a record, which the store then finds by a search.
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

type Counter = Versioned<CounterSource>;

/** Enough for dozens of replicas creating cases in the same team at the same instant. */
const MAX_ATTEMPTS = 60;
/** Teams whose counter is remembered; past that the memory starts over (one more read per team). */
const MAX_TEAMS_REMEMBERED = 10_000;

export class CaseNumbers {
  /** Each team's counter as this replica last wrote it. */
  private readonly written = new Map<string, Counter>();

  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  /** The team's next number for the creation `op`, advancing the counter as remembered, or as read now. */
  async allocate(teamId: string, op: string): Promise<number> {
    let counter = this.written.get(teamId) ?? (await readDocument<CounterSource>(this.client, this.index, teamId));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (counter?.source.last_op === op) return counter.source.last_number;
      const next: CounterSource = { team_id: teamId, last_number: (counter?.source.last_number ?? 0) + 1, last_op: op };
      try {
        const written = counter
          ? await this.client.index({ index: this.index, id: teamId, document: next, if_seq_no: counter.seqNo, if_primary_term: counter.primaryTerm })
          : await this.client.create({ index: this.index, id: teamId, document: next });
        this.remember({ id: teamId, source: next, ...sequenceOf(written) });
        return next.last_number;
      } catch (error) {
        this.written.delete(teamId);
        if (!isConflict(error)) throw error;
      }
      // Moved by another replica (or by a repeated request of ours, which the read recognises): read it again.
      if (attempt > 0) await sleep(backoffDelay(attempt - 1));
      counter = await readDocument<CounterSource>(this.client, this.index, teamId);
    }
    throw new StoreUnavailableError(`no case number could be assigned in team ${teamId} after ${MAX_ATTEMPTS} attempts`);
  }

  /**
   * Hands back the number creation `op` took, when the creation did not commit: only while the counter still ends at
   * it (conditional on the counter as written), so no number is ever given twice; once another creation has taken a
   * later one, the number stays unused (a gap). Best effort: a failure leaves the gap too.
   */
  async release(teamId: string, op: string): Promise<void> {
    const counter = this.written.get(teamId);
    if (counter?.source.last_op !== op) return;
    const previous: CounterSource = { team_id: teamId, last_number: counter.source.last_number - 1, last_op: `released:${op}` };
    try {
      const written = await this.client.index({ index: this.index, id: teamId, document: previous, if_seq_no: counter.seqNo, if_primary_term: counter.primaryTerm });
      this.remember({ id: teamId, source: previous, ...sequenceOf(written) });
    } catch {
      this.written.delete(teamId);
    }
  }

  private remember(counter: Counter): void {
    if (this.written.size >= MAX_TEAMS_REMEMBERED) this.written.clear();
    this.written.set(counter.id, counter);
  }
}

/** The bulk operation that records `number` as the number of case `caseId` (see above). */
export function numberRecordWrite(index: string, teamId: string, number: number, caseId: string): { operation: estypes.BulkOperationContainer; document: NumberSource } {
  const record = caseNumberRecord(teamId, number, caseId);
  // Overwrites only a record of this same operation (a repeated request): no other one is given this number.
  return { operation: { index: { _index: index, _id: record.id } }, document: record.source };
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
