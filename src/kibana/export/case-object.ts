import type { IndicatorNote } from '../case-marker';
import { writeCaseDescription } from '../case-marker';
import { caseAssigneesToKibana } from '../assignees';
import { SEVERITY_CODES, STATUS_CODES } from '../codes';
import type { CaseWithExtras } from '../extras';
import { isRecord } from '../records';
import { type Attributes, CASE_TYPE, NONE_CONNECTOR, type SavedObject } from '../saved-objects';
import { withKeptAttributes } from './attribute-order';
import type { CaseExportContext, ExportContext } from './context';
import { envelope } from './envelope';
import { VERSIONED_CASE_ATTRIBUTES, type VersionedCaseAttribute } from './versions';

export interface CaseChildren {
  /** The case's exported `cases-comments` objects, counted into total_comments / total_alerts. */
  comments: readonly SavedObject[];
  /** Indicator facts Kibana's form cannot hold, by attachment id (case-marker.ts). */
  indicators: ReadonlyMap<string, IndicatorNote>;
}

/** Attributes the conversion writes only when the case had none from Kibana (imported cases keep theirs). */
const CASE_DEFAULTS = ['connector', 'external_service', 'total_alerts', 'total_comments'];

/** A caseops case as Kibana's `cases` saved object, in the stored shape of the declared version. */
export function caseSavedObject(theCase: CaseWithExtras, children: CaseChildren, context: CaseExportContext): SavedObject {
  const { keyOrder, users } = context;
  const kept = theCase.kibana?.attributes;
  const keptSettings = kept?.settings;
  const assignees = caseAssigneesToKibana(theCase.assignees, context.profileUids);
  const counted = totals(children.comments);
  // In sorted key order (attribute-order.ts).
  const built: Attributes = {
    assignees: assignees.uids,
    closed_at: theCase.closedAt,
    closed_by: theCase.closedBy && users.of(theCase.closedBy),
    connector: NONE_CONNECTOR,
    created_at: theCase.createdAt,
    created_by: users.of(theCase.createdBy),
    description: writeCaseDescription(theCase.description, { origin: theCase.origin, indicators: children.indicators }),
    duration: theCase.duration,
    external_service: null,
    owner: theCase.owner,
    settings: isRecord(keptSettings) ? keyOrder.ordered({ ...keptSettings, syncAlerts: theCase.settings.syncAlerts }) : { syncAlerts: theCase.settings.syncAlerts },
    severity: SEVERITY_CODES[theCase.severity],
    status: STATUS_CODES[theCase.status],
    tags: [...theCase.tags, ...assignees.tags],
    title: theCase.title,
    total_alerts: counted.alerts,
    total_comments: counted.comments,
    updated_at: theCase.updatedAt,
    updated_by: theCase.updatedBy && users.of(theCase.updatedBy),
  };
  const attributes = withKeptAttributes(built, kept && supportedByTarget(theCase.id, kept, context), keyOrder, CASE_DEFAULTS);
  return envelope(
    {
      type: CASE_TYPE,
      id: theCase.id,
      attributes,
      references: keyOrder.ordered(theCase.kibana?.references ?? []),
      declaredVersion: context.profile.declaredVersions[CASE_TYPE],
      createdAt: theCase.createdAt,
      updatedAt: theCase.updatedAt ?? theCase.createdAt,
    },
    context.profile,
  );
}

/** Kibana counts user comments and alert ids; an imported "-1" (unknown, from Kibana's 8.7 migration) overrides these. */
function totals(comments: readonly SavedObject[]): { alerts: number; comments: number } {
  let userComments = 0;
  let alerts = 0;
  for (const comment of comments) {
    if (comment.attributes.type === 'user') userComments += 1;
    if (comment.attributes.type === 'alert') alerts += Array.isArray(comment.attributes.alertId) ? comment.attributes.alertId.length : 1;
  }
  return { alerts, comments: userComments };
}

/**
 * Kept Kibana attributes, less their settings (merged into the built ones) and those the target version does not
 * have (reported, not silently dropped).
 */
function supportedByTarget(caseId: string, kept: Attributes, context: ExportContext): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(kept)) {
    if (key === 'settings') continue;
    const versioned = (VERSIONED_CASE_ATTRIBUTES as readonly string[]).includes(key);
    if (versioned && !context.profile.caseAttributes.has(key as VersionedCaseAttribute)) {
      context.warn({ caseId, message: `Kibana ${context.profile.target} has no case attribute "${key}"; it was left out` });
    } else {
      result[key] = value;
    }
  }
  return result;
}
