import { CASE_TYPE, COMMENT_TYPE, type CasesSavedObjectType, USER_ACTION_TYPE } from '../saved-objects';

/**
 * The one table of version-dependent export choices, per target Kibana (reference §2.4, §5.3).
 *
 * Which targets, and why:
 * - Nothing before 8.7: that is where cases started storing status and severity as numbers, the shape
 *   caseops' model maps one to one. 7.x and 8.0–8.6 are past end of life.
 * - `8.7`: the pre-8.8 envelope, `migrationVersion: {<type>: <version>}` and `coreMigrationVersion` = the
 *   Kibana version; no `managed`.
 * - `8.8`: `typeMigrationVersion` and `coreMigrationVersion: "8.8.0"`, as every later export writes them,
 *   and the top-level `created_at`; still no `managed` (Kibana learnt it in 8.9).
 * - `8.11`: adds `managed: false`; the case attributes `category` (8.9) and `customFields` (8.11) exist;
 *   `cases` can declare model version 1 (`10.1.0`, shipped in 8.11 — the only release ↔ model-version pair
 *   the reference confirms).
 * - `9.2`: adds Kibana's own `event` attachment (`eventId`/`index`, "Events as attachments") and the case
 *   attributes `observables` and `total_events`.
 *
 * Declared versions are deliberately conservative: an object declaring a version its Kibana does not know
 * is refused ("belongs to a more recent version of Kibana"), while one declaring an older version is
 * migrated forward by Kibana itself. So `cases-comments` stays at `8.1.0` and `cases-user-actions` at
 * `8.5.0` everywhere (their later model versions are not tied to releases with certainty), and `cases`
 * never declares beyond `10.1.0`. The cost: on 9.x, Kibana re-runs the later case model versions on import,
 * whose backfills reset `total_events` to 0 and `settings.extractObservables` to false.
 *
 * Default `8.11`: every declared version in it is confirmed from Kibana's source rather than inferred, it is
 * accepted by every Kibana Elastic still maintains (8.18, 8.19, 9.x), and it is the shape such a Kibana
 * writes itself, `managed` included. Pick `9.2` to export Slack messages that have an Elasticsearch
 * document as Kibana event attachments.
 */
export const KIBANA_TARGETS = ['8.7', '8.8', '8.11', '9.2'] as const;
export type KibanaTarget = (typeof KIBANA_TARGETS)[number];
export const DEFAULT_KIBANA_TARGET: KibanaTarget = '8.11';

/** Case attributes that exist only from some Kibana version on; a target without one does not get it. */
export const VERSIONED_CASE_ATTRIBUTES = ['category', 'customFields', 'observables', 'total_events'] as const;
export type VersionedCaseAttribute = (typeof VERSIONED_CASE_ATTRIBUTES)[number];

export interface TargetProfile {
  readonly target: KibanaTarget;
  /** The oldest release the profile is for: it knows every legacy migration up to this version. */
  readonly release: string;
  readonly coreMigrationVersion: string;
  /** `migrationVersion` (a map keyed by type, before 8.8) or `typeMigrationVersion` (8.8 on). */
  readonly versionField: 'migrationVersion' | 'typeMigrationVersion';
  readonly writesManaged: boolean;
  /** The top-level `created_at` of 8.8+ exports. */
  readonly writesCreatedAt: boolean;
  readonly declaredVersions: Readonly<Record<CasesSavedObjectType, string>>;
  /**
   * Kibana's `event` attachment type exists. It came with `cases-comments` model version 1 (its `eventId`
   * mapping), so this also says whether the target knows any comments model version.
   */
  readonly eventAttachments: boolean;
  readonly caseAttributes: ReadonlySet<VersionedCaseAttribute>;
}

const LEGACY_DECLARED = { [CASE_TYPE]: '8.7.0', [COMMENT_TYPE]: '8.1.0', [USER_ACTION_TYPE]: '8.5.0' } as const;
const MODEL_VERSION_DECLARED = { ...LEGACY_DECLARED, [CASE_TYPE]: '10.1.0' } as const;

export const TARGET_PROFILES: Readonly<Record<KibanaTarget, TargetProfile>> = {
  '8.7': {
    target: '8.7',
    release: '8.7.0',
    coreMigrationVersion: '8.7.0',
    versionField: 'migrationVersion',
    writesManaged: false,
    writesCreatedAt: false,
    declaredVersions: LEGACY_DECLARED,
    eventAttachments: false,
    caseAttributes: new Set(),
  },
  '8.8': {
    target: '8.8',
    release: '8.8.0',
    coreMigrationVersion: '8.8.0',
    versionField: 'typeMigrationVersion',
    writesManaged: false,
    writesCreatedAt: true,
    declaredVersions: LEGACY_DECLARED,
    eventAttachments: false,
    caseAttributes: new Set(),
  },
  '8.11': {
    target: '8.11',
    release: '8.11.0',
    coreMigrationVersion: '8.8.0',
    versionField: 'typeMigrationVersion',
    writesManaged: true,
    writesCreatedAt: true,
    declaredVersions: MODEL_VERSION_DECLARED,
    eventAttachments: false,
    caseAttributes: new Set(['category', 'customFields']),
  },
  '9.2': {
    target: '9.2',
    release: '9.2.0',
    coreMigrationVersion: '8.8.0',
    versionField: 'typeMigrationVersion',
    writesManaged: true,
    writesCreatedAt: true,
    declaredVersions: MODEL_VERSION_DECLARED,
    eventAttachments: true,
    caseAttributes: new Set(['category', 'customFields', 'observables', 'total_events']),
  },
};

export function isKibanaTarget(value: string): value is KibanaTarget {
  return (KIBANA_TARGETS as readonly string[]).includes(value);
}
