import type { Client } from '@elastic/elasticsearch';
import type { EvidenceLookups } from '../cases/evidence-lookups';
import { lookupAlert } from './alerts';
import { indexSlackMessage, updateSlackMessage } from './slack-events';
import { lookupIndicator } from './threat-intel';

/** The domain's evidence lookups, answered by the cluster. */
export function clusterEvidenceLookups(client: Client, settings: { namespace?: string; threatIntelIndex?: string }): EvidenceLookups {
  return {
    indexMessage: (message, caseId) => indexSlackMessage(client, message, { namespace: settings.namespace, caseIds: [caseId] }),
    updateMessage: (document, message) => updateSlackMessage(client, document, message),
    async lookupIndicator(indicator) {
      const match = await lookupIndicator(client, indicator, { index: settings.threatIntelIndex });
      return match ? { documentId: match.documentId, feedName: match.feedName } : null;
    },
    async lookupAlert(alertId, index) {
      const found = await lookupAlert(client, alertId, index);
      return found ? { rule: found.rule } : null;
    },
  };
}
