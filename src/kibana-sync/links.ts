import type { Actor, Case, SlackOrigin } from '../cases/model';
import { CASE_LIMITS } from '../cases/model';
import { KibanaLinkError, type KibanaLinker, type KibanaLinkResult } from '../cases/kibana-link';
import type { CaseService } from '../cases/service';
import type { CaseStore } from '../cases/store';
import { assigneesFromTags } from '../kibana/assignees';
import { readCaseDescription } from '../kibana/case-marker';
import { type KibanaCasesClient, KibanaRequestError } from './client';
import type { KibanaPeople } from './kibana-people';
import type { KibanaCase } from './kibana-shapes';
import type { MirrorRecords } from './mirror-records';
import { mirroringCase } from './mirror-marker';
import { mirroredDescription } from './requests';

const SLACK_USER = /^[UW][A-Z0-9]+$/;
/** A case id in a Kibana case URL (`…/app/security/cases/<id>`, any space, any trailing path or query). */
const CASE_URL = /\/app\/[a-z]+\/cases\/([A-Za-z0-9_-]+)/;

export interface KibanaLinksDeps {
  client: KibanaCasesClient;
  store: CaseStore;
  service: CaseService;
  mirrors: MirrorRecords;
  people: KibanaPeople;
  owner: Case['owner'];
}

/**
 * `/case link`: a case born in Kibana gets a caseops case in the channel, which mirrors it from then on. Its fields
 * are taken as Kibana has them; caseops' marker is written into its description there (how the pull knows the
 * mirror), and what is done in Kibana afterwards comes to Slack as for any mirror. Comments made before the link stay
 * in Kibana. Linking a case twice, from anywhere, gives the case the first link opened.
 */
export class KibanaLinks implements KibanaLinker {
  constructor(private readonly deps: KibanaLinksDeps) {}

  async link(actor: Actor, origin: SlackOrigin, target: string, card: { responseUrl?: string }): Promise<KibanaLinkResult> {
    const kibanaCase = await this.read(kibanaCaseIdOf(target));
    // The case this Kibana case already mirrors (one opened in Slack, or linked before).
    const linked = await mirroringCase(this.deps.store, kibanaCase);
    if (linked) return { case: linked, created: false };
    if (kibanaCase.owner !== this.deps.owner) throw new KibanaLinkError(`that Kibana case belongs to ${kibanaCase.owner}, not ${this.deps.owner}: caseops mirrors ${this.deps.owner} cases only`);
    const { description } = readCaseDescription(kibanaCase.description);
    const opened = await this.deps.service.openCase(actor, this.fieldsOf(kibanaCase, description), origin, `kibana-link:${kibanaCase.id}`, undefined, { ...card, mirrorOf: kibanaCase.id });
    if (!opened.created) return { case: opened.case, created: false };
    const marked = await this.deps.client.updateCase({ id: kibanaCase.id, version: kibanaCase.version, description: mirroredDescription(opened.case, description) });
    // From here on the pull reads what is done in Kibana after the link, and tells caseops' own writes by their user.
    await this.deps.mirrors.record(opened.case.teamId, opened.case.id, { writer: marked.updated_by?.username ?? undefined, pulledAt: marked.updated_at ?? undefined }, actor);
    if (kibanaCase.status !== 'open') await this.deps.service.setStatus({ ...actor, via: 'kibana' }, { id: opened.case.id }, kibanaCase.status);
    return { case: (await this.deps.store.getCase(opened.case.teamId, { id: opened.case.id })) ?? opened.case, created: true };
  }

  private async read(kibanaId: string): Promise<KibanaCase> {
    try {
      return await this.deps.client.getCase(kibanaId);
    } catch (error) {
      if (error instanceof KibanaRequestError && error.status === 404) throw new KibanaLinkError(`Kibana has no case \`${kibanaId}\` in this space`);
      if (error instanceof KibanaRequestError) throw new KibanaLinkError(`Kibana could not be asked for the case (${error.message}); nothing was linked, try again`);
      throw error;
    }
  }

  private fieldsOf(kibanaCase: KibanaCase, description: string) {
    const { tags, assignees: tagged } = assigneesFromTags(kibanaCase.tags);
    const profiles = kibanaCase.assignees.map((assignee) => this.deps.people.assignee(assignee.uid, {})).filter((user) => SLACK_USER.test(user));
    return {
      title: kibanaCase.title,
      description: description.slice(0, CASE_LIMITS.descriptionLength),
      severity: kibanaCase.severity,
      tags,
      assignees: [...new Set([...profiles, ...tagged])].slice(0, CASE_LIMITS.assignees),
    };
  }
}

/** The Kibana case id in what was typed: a case page's URL (Slack may wrap it in <…>), or the id itself. */
export function kibanaCaseIdOf(target: string): string {
  const text = target.trim().replace(/^<([^|>]+)(\|[^>]*)?>$/, '$1');
  const fromUrl = CASE_URL.exec(text)?.[1];
  if (fromUrl) return fromUrl;
  if (/^[A-Za-z0-9_-]+$/.test(text)) return text;
  throw new KibanaLinkError('give a Kibana case URL (…/app/security/cases/<id>) or a case id');
}
