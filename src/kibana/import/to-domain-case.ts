import { emptyTotals, type SlackOrigin } from '../../cases/model';
import { assigneeFromUid, assigneesFromTags } from '../assignees';
import { type IndicatorNote, readCaseDescription } from '../case-marker';
import { severityFromCode, statusFromCode } from '../codes';
import { type CaseWithExtras, extrasOf } from '../extras';
import { NONE_CONNECTOR } from '../saved-objects';
import { kibanaUserToActor } from '../users';
import { type CheckedObject, unconsumedAttributes } from './checked-object';
import type { DomainContext } from './context';
import { type ImportProblem, warning } from './problems';
import type { CaseAttributes, StoredUser } from './schemas';

export interface DomainCase {
  /** Totals are zero here: they are counted from the attachments that come with the case. */
  case: CaseWithExtras;
  /** Indicator facts from caseops' marker, by attachment id. */
  indicators: Readonly<Record<string, IndicatorNote>>;
  problems: ImportProblem[];
}

const CONSUMED = [
  'title',
  'description',
  'status',
  'severity',
  'tags',
  'assignees',
  'owner',
  'settings',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'closed_at',
  'closed_by',
  'duration',
  // Kibana 9.x drops it on export and refuses it on import; the store numbers cases itself.
  'incremental_id',
];
/** What export writes for a case that has nothing else. */
const EXPORT_DEFAULTS = { connector: NONE_CONNECTOR, external_service: null };
/** Kibana's "unknown" count (its 8.7 migration): kept, since caseops cannot know better; real counts are recomputed on export. */
const UNKNOWN_TOTAL = -1;

/** A Kibana case as a caseops case: Slack origin from caseops' marker when it is for this workspace. */
export function caseToDomain(object: CheckedObject<CaseAttributes>, context: DomainContext): DomainCase {
  const { attributes } = object;
  const problems: ImportProblem[] = [];
  const note = (code: ImportProblem['code'], message: string) => problems.push(warning(code, message, object));
  const actor = (user: StoredUser) => kibanaUserToActor(user, context.teamId);

  const status = statusFromCode(attributes.status);
  if (!status) note('value_defaulted', `Its status code ${attributes.status} is not one Kibana writes; it was read as open, as Kibana reads it.`);
  const severity = severityFromCode(attributes.severity);
  if (!severity) note('value_defaulted', `Its severity code ${attributes.severity} is not one Kibana writes; it was read as low, as Kibana reads it.`);

  const read = readCaseDescription(attributes.description);
  let origin: SlackOrigin = context.origin;
  if (read.data && read.data.origin.teamId === context.teamId) origin = read.data.origin;
  else if (read.data) note('other_workspace', 'It was exported from another Slack workspace; it was placed in the channel the import was run from.');
  else if (read.damaged) note('damaged_marker', "caseops' data at the end of its description could not be read (edited in Kibana?); it was placed in the channel the import was run from.");

  const fromTags = assigneesFromTags(attributes.tags);
  const assignees = [...new Set([...attributes.assignees.map(({ uid }) => assigneeFromUid(uid, context.slackIdsByProfile)), ...fromTags.assignees])];
  const { syncAlerts, ...otherSettings } = attributes.settings;
  const consumed = [...CONSUMED, ...(['total_alerts', 'total_comments'] as const).filter((key) => attributes[key] !== UNKNOWN_TOTAL)];
  const kept = unconsumedAttributes(attributes, consumed, EXPORT_DEFAULTS);
  if (Object.keys(otherSettings).length) kept.settings = attributes.settings;
  const kibana = extrasOf(kept, object.references);

  return {
    case: {
      id: object.id,
      teamId: context.teamId,
      title: attributes.title,
      description: read.description,
      status: status ?? 'open',
      severity: severity ?? 'low',
      tags: fromTags.tags,
      assignees,
      owner: attributes.owner,
      settings: { syncAlerts },
      createdAt: attributes.created_at,
      createdBy: actor(attributes.created_by),
      updatedAt: attributes.updated_at ?? null,
      updatedBy: attributes.updated_by ? actor(attributes.updated_by) : null,
      closedAt: attributes.closed_at ?? null,
      closedBy: attributes.closed_by ? actor(attributes.closed_by) : null,
      duration: attributes.duration ?? null,
      origin,
      totals: emptyTotals(),
      ...(kibana ? { kibana } : {}),
    },
    indicators: read.data?.indicators ?? {},
    problems,
  };
}

