import type { SlackOrigin } from '../../cases/model';

/** What turning saved objects into caseops' domain needs to know about the import being run. */
export interface DomainContext {
  /** The Slack workspace importing: the team of every imported case and of actors with no Slack identity. */
  teamId: string;
  /** Where a case lands when the file does not say where it came from in this workspace. */
  origin: SlackOrigin;
  /** Kibana profile uid → Slack user id (assignees.ts). */
  slackIdsByProfile: ReadonlyMap<string, string>;
}
