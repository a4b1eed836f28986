import type { Actor, Case, SlackOrigin } from './model';

/** What `/case link` did: the case that mirrors the Kibana case, and whether it was opened now or already existed. */
export interface KibanaLinkResult {
  case: Case;
  created: boolean;
}

/** `/case link`: a case born in Kibana, mirrored into a Slack channel (kibana-sync/links.ts). */
export interface KibanaLinker {
  /** `target`: the Kibana case's URL or id. Throws KibanaLinkError with a message for the person who asked. */
  link(actor: Actor, origin: SlackOrigin, target: string, card: { responseUrl?: string }): Promise<KibanaLinkResult>;
}

/** A link that cannot be made, said plainly (no such case, Kibana down, a case of another owner). */
export class KibanaLinkError extends Error {
  override name = 'KibanaLinkError';
}
