import type { MessageSnapshot } from '../../../src/cases/attachments';

/** A Slack message as caseops snapshots it when attached: a threaded message with a permalink and a file. */
export function messageSnapshot(text: string, overrides: Partial<MessageSnapshot> = {}): MessageSnapshot {
  return {
    teamId: 'T0SOC',
    channel: { id: 'C0ALERTS', name: 'soc-alerts', isPrivate: false },
    ts: '1764312345.000200',
    threadTs: '1764312000.000100',
    author: { id: 'U0ANALYST', name: 'alice' },
    text,
    permalink: 'https://soc.slack.com/archives/C0ALERTS/p1764312345000200',
    files: [{ id: 'F0PCAP', name: 'capture.pcap', mimetype: 'application/vnd.tcpdump.pcap', size: 52_431 }],
    edited: false,
    ...overrides,
  };
}
