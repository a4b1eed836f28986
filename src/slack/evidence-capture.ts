import type { EvidenceService, MessageCapture } from '../cases/evidence-service';
import { type ExtractedIndicator, extractIndicators } from '../cases/indicators';
import type { SlackSettings } from './deps';

/** A modal can be submitted before its message capture is saved (the capture is written after it opens). */
const CAPTURE_WAIT_MS = 3000;
/** Before an ack the wait must leave room in Slack's 3 seconds: a capture missing by then has expired. */
export const CAPTURE_WAIT_BEFORE_ACK_MS = 1000;
const CAPTURE_POLL_MS = 50;

export async function waitForCapture(evidence: EvidenceService, captureId: string, waitMs = CAPTURE_WAIT_MS): Promise<MessageCapture | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const capture = await evidence.getCapture(captureId);
    if (capture || Date.now() > deadline) return capture ?? undefined;
    await new Promise((resolve) => setTimeout(resolve, CAPTURE_POLL_MS));
  }
}

/** Slack's own links (permalinks, files) are never indicators of anything. */
const ALWAYS_IGNORED = ['slack.com', 'slack-edge.com', 'slack-files.com'];

/** The indicators to offer from a message's text, with the workspace's own domains and private IPs left out. */
export function offeredIndicators(text: string, settings: SlackSettings): ExtractedIndicator[] {
  return extractIndicators(text, {
    includePrivateIps: settings.indicators.includePrivateIps,
    ignoreDomains: [...ALWAYS_IGNORED, ...settings.indicators.ignoreDomains],
  });
}
