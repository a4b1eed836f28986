import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { type Claim, type ClaimOutcome, decideClaim, finishedClaim, releasableBy, type RequestClaims } from '../../cases/request-claims';
import { backoffDelay, sleep } from './backoff';
import { readDocument, type Versioned } from './document-io';
import { isConflict, isFirstAttemptConflict, toStoreError } from './errors';

/**
 * Request claims on Elasticsearch (`<prefix>-request-claims`, one document per key). A claim is read in real time
 * and written with op_type=create (none yet) or conditionally on the sequence number read (if_seq_no /
 * if_primary_term), so of two replicas deciding from the same state one write lands and the other re-reads and
 * decides again: two taps on two replicas start one export. A claim abandoned by a replica that died mid-export
 * is taken over once it is old enough (request-claims.ts in cases/).
 */

interface ClaimSource {
  started_by: string;
  triggers: string[];
  started_at: string;
  finished_at: string | null;
}

/**
 * Each lost race means another request moved the claim on; with jittered backoff between attempts, a burst of a
 * dozen requests for one key settles in a few rounds.
 */
const MAX_ATTEMPTS = 20;

export class ElasticsearchRequestClaims implements RequestClaims {
  constructor(
    private readonly client: Client,
    private readonly index: string,
  ) {}

  async begin(key: string, triggerId: string, now: Date): Promise<ClaimOutcome> {
    return this.guard(async () => {
      const id = documentId(key);
      let attempted: ClaimOutcome | null = null;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const current = await this.read(id);
        // Our own write whose answer was lost (the client retried it and met it): it is still our outcome.
        if (attempted && current?.source.triggers.includes(triggerId)) return attempted;
        const decision = decideClaim(current && claimOf(current.source), triggerId, now);
        if (decision.outcome === 'redelivered') return decision.outcome;
        try {
          await this.write(id, decision.claim, current);
          return decision.outcome;
        } catch (error) {
          if (!isConflict(error)) throw error;
          attempted = isFirstAttemptConflict(error) ? null : decision.outcome;
          await sleep(backoffDelay(attempt));
        }
      }
      throw new Error(`the claim on ${id} kept changing under ${MAX_ATTEMPTS} attempts`);
    });
  }

  async finish(key: string, triggerId: string, now: Date): Promise<void> {
    await this.guard(async () => {
      const id = documentId(key);
      const current = await this.read(id);
      const finished = finishedClaim(current && claimOf(current.source), triggerId, now);
      if (!finished) return;
      // A conflict means another request took the claim over since (it was presumed abandoned): it is not ours to end.
      await this.write(id, finished, current).catch((error: unknown) => {
        if (!isConflict(error)) throw error;
      });
    });
  }

  async release(key: string, triggerId: string): Promise<void> {
    await this.guard(async () => {
      const id = documentId(key);
      const current = await this.read(id);
      if (!current || !releasableBy(claimOf(current.source), triggerId)) return;
      // Conditional: a claim another request has moved on since (a repeat recorded, a takeover) is left as it is.
      await this.client.delete({ index: this.index, id, if_seq_no: current.seqNo, if_primary_term: current.primaryTerm }).catch((error: unknown) => {
        if (!isConflict(error) && (error as { statusCode?: number }).statusCode !== 404) throw error;
      });
    });
  }

  private read(id: string): Promise<Versioned<ClaimSource> | null> {
    return readDocument<ClaimSource>(this.client, this.index, id);
  }

  private async write(id: string, claim: Claim, over: Versioned<ClaimSource> | null): Promise<void> {
    const document = sourceOf(claim);
    if (over) await this.client.index({ index: this.index, id, document, if_seq_no: over.seqNo, if_primary_term: over.primaryTerm });
    else await this.client.create({ index: this.index, id, document });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

/** Keys hold a whole selection of cases: hashed to stay within the 512 bytes Elasticsearch allows an id. */
function documentId(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function claimOf(source: ClaimSource): Claim {
  return { startedBy: source.started_by, triggers: source.triggers, startedAt: source.started_at, finishedAt: source.finished_at };
}

function sourceOf(claim: Claim): ClaimSource {
  return { started_by: claim.startedBy, triggers: claim.triggers, started_at: claim.startedAt, finished_at: claim.finishedAt };
}
