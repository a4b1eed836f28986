import type { Migration } from './types';
import { without } from './types';

/** Alert comments lost their rule information in 8.0 (the rule is looked up from the alert instead). */
export const ALERT_TYPES: ReadonlySet<unknown> = new Set(['alert', 'generatedAlert']);

/**
 * The `cases-comments` legacy migrations (reference §3). 7.12.0 (associationType "case") is left out: 8.1.0
 * removes what it adds. Kibana also merges Lens's own migrations in, which rewrite Lens state embedded in
 * markdown; caseops keeps that markdown verbatim (see README).
 */
export const COMMENT_MIGRATIONS: readonly Migration[] = [
  { version: '7.11.0', apply: ({ attributes, references }) => ({ attributes: { ...attributes, type: attributes.type ?? 'user' }, references }) },
  { version: '7.14.0', apply: ({ attributes, references }) => ({ attributes: { ...attributes, owner: 'securitySolution' }, references }) },
  {
    version: '8.0.0',
    apply: ({ attributes, references }) => ({
      attributes: ALERT_TYPES.has(attributes.type) ? { ...attributes, rule: { id: null, name: null } } : attributes,
      references,
    }),
  },
  {
    // Sub-cases are gone: their association and references go with them.
    version: '8.1.0',
    apply: ({ attributes, references }) => ({
      attributes: without(attributes, 'associationType'),
      references: references.filter((reference) => reference.type !== 'cases-sub-case'),
    }),
  },
];
