import type { Actor, Attachment, Case, UserAction } from '../../../src/cases/model';
import type { CaseExportInput } from '../../../src/kibana/export/case-objects';
import { TEAM } from './files';

/**
 * One case using everything caseops can hold: every attachment type (two unknown Kibana ones among them),
 * a private Slack origin with its card, assignees mapped to Kibana profiles, unmapped and Kibana-only, actors
 * from Slack and from Kibana, markdown that tries to break the markers, and user actions of most kinds.
 */
export const CASE_ID = '6f1c2a4e-8b3d-4e5f-9a7b-1c2d3e4f5a6b';
export const PROFILE_UIDS: ReadonlyMap<string, string> = new Map([['U0ALICE', 'u_alice_profile_0']]);

const alice: Actor = { userId: 'U0ALICE', teamId: TEAM, name: 'Alice Analyst' };
const bob: Actor = { userId: 'U0BOB', teamId: TEAM };
const guest: Actor = { userId: 'U0GUEST', teamId: 'T0PARTNER', name: '' };
/** Kibana's built-in superuser, as an actor (users.ts). */
const elastic: Actor = { userId: 'kibana:elastic', teamId: TEAM, name: 'elastic' };
/** An actor that came from Kibana (users.ts): username with spaces, an email, a profile. */
const kibanaUser: Actor = {
  userId: `kibana:jane%20doe#${Buffer.from(JSON.stringify({ email: 'jane@example.com', full_name: 'Jane Doe', profile_uid: 'u_jane_0', username: 'jane doe' })).toString('base64url')}`,
  teamId: TEAM,
  name: 'Jane Doe',
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 9, minute)).toISOString();

export function richCase(): Case {
  return {
    id: CASE_ID,
    teamId: TEAM,
    number: 42,
    title: 'Phishing wave <b>"invoice"</b> --> finance',
    description: 'Users in finance got mail from `billing@examp1e.com`.\n\n<!-- not a caseops marker --> and a stray -->\n\n',
    status: 'in-progress',
    severity: 'high',
    tags: ['phishing', 'finance'],
    assignees: ['U0ALICE', 'U0BOB', 'kibana:u_kibana_only_0'],
    owner: 'securitySolution',
    settings: { syncAlerts: false },
    createdAt: at(0),
    createdBy: alice,
    updatedAt: at(30),
    updatedBy: bob,
    closedAt: null,
    closedBy: null,
    duration: null,
    origin: { teamId: TEAM, channelId: 'G0SECRET', channelName: 'soc-incidents', isPrivate: true, cardTs: '1795770000.000100' },
    totals: { user: 1, event: 2, alert: 1, indicator: 2, visualization: 1, timeline: 2, unknown: 2 },
    version: 7,
  };
}

function attachment(id: string, type: Attachment['type'], data: Record<string, unknown>, minute: number, by: Actor = alice): Attachment {
  return { id, caseId: CASE_ID, type, data, createdAt: at(minute), createdBy: by, updatedAt: null, updatedBy: null, owner: 'securitySolution' };
}

export const EVENT_WITH_DOCUMENT = {
  message: {
    teamId: TEAM,
    channel: { id: 'G0SECRET', name: 'soc-incidents', isPrivate: true },
    ts: '1795770060.000200',
    author: { id: 'U0CAROL', name: 'Carol' },
    text: 'Got this:\n> Pay invoice now\n<!-- caseops {"kind":"case"} --> `--> end`',
    permalink: 'https://acme.slack.com/archives/G0SECRET/p1795770060000200',
    files: [{ id: 'F01', name: 'invoice.pdf', mimetype: 'application/pdf', size: 12034 }],
    edited: false,
  },
  document: { index: 'logs-caseops.slack-default', id: 'doc-1' },
};

export function richAttachments(): Attachment[] {
  return [
    attachment('a0000001-0000-4000-8000-000000000001', 'user', { comment: 'Looks like **phishing** <!-- hi --> and `-->`' }, 1),
    attachment('a0000001-0000-4000-8000-000000000002', 'event', EVENT_WITH_DOCUMENT, 2),
    attachment(
      'a0000001-0000-4000-8000-000000000003',
      'event',
      {
        message: {
          teamId: TEAM,
          channel: { id: 'C0GENERAL', isPrivate: false },
          ts: '1795770120.000300',
          threadTs: '1795770000.000100',
          author: { id: 'U0DAVE' },
          text: '',
          files: [],
          edited: true,
          originalText: 'first version',
          deleted: true,
        },
        note: 'the sender deleted it',
      },
      3,
      guest,
    ),
    attachment('a0000001-0000-4000-8000-000000000004', 'alert', { alertId: 'alert-1', index: '.internal.alerts-security.alerts-default-000001', rule: { id: 'rule-1', name: 'Phishing link' } }, 4),
    attachment('a0000001-0000-4000-8000-000000000005', 'indicator', { value: 'examp1e.com', type: 'domain', feedName: 'AbuseCH', documentId: 'ti-doc-9', source: 'message' }, 5),
    attachment(
      'a0000001-0000-4000-8000-000000000006',
      'indicator',
      { value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', type: 'sha256', feedName: null, documentId: null, source: 'manual' },
      6,
      kibanaUser,
    ),
    attachment(
      'a0000001-0000-4000-8000-000000000007',
      'timeline',
      { timelineId: 'tl-1', title: 'Mail [flow]', url: "https://kibana.acme.io/s/soc/app/security/timelines?timeline=(id:'tl-1',isOpen:!t)" },
      7,
    ),
    attachment('a0000001-0000-4000-8000-000000000008', 'timeline', { timelineId: "t'2!", title: '', url: 'https://kibana.acme.io/s/soc/app/security/timelines/default' }, 8),
    attachment(
      'a0000001-0000-4000-8000-000000000009',
      'visualization',
      {
        title: 'Case #42 activity',
        spec: { kind: 'activity', title: 'Case #42 activity', range: { from: '2026-11-26T09:00:00.000Z', to: '2026-11-27T09:00:00.000Z', bucket: { amount: 1, unit: 'h' }, timeZone: 'Europe/Paris' }, noun: 'events' },
        chartConfig: { type: 'bar', data: { labels: ['09:00', '10:00'], datasets: [{ label: 'event', data: [3, 0] }] } },
        dataTable: '| hour | events |\n|---|---|\n| 09:00 | 3 |\n| 10:00 | 0 |',
        altText: 'Bar chart: 3 events at 09:00.',
        slackFile: { id: 'F0CHART', permalink: 'https://acme.slack.com/files/F0CHART' },
      },
      9,
    ),
    attachment(
      'a0000001-0000-4000-8000-00000000000a',
      'unknown',
      {
        savedObject: {
          type: 'cases-comments',
          id: 'a0000001-0000-4000-8000-00000000000a',
          attributes: {
            type: 'persistableState',
            persistableStateAttachmentTypeId: '.lens',
            persistableStateAttachmentState: { attributes: { title: 'Logins', references: [] }, timeRange: { from: 'now-7d', to: 'now' } },
            owner: 'securitySolution',
            created_at: at(10),
            created_by: { email: null, full_name: null, username: 'elastic' },
            pushed_at: null,
            pushed_by: null,
            updated_at: null,
            updated_by: null,
          },
          references: [
            { id: CASE_ID, name: 'associated-cases', type: 'cases' },
            { id: 'dv-1', name: 'indexpattern-datasource-layer-1', type: 'index-pattern' },
          ],
          typeMigrationVersion: '8.9.0',
        },
      },
      10,
      elastic,
    ),
    attachment(
      'a0000001-0000-4000-8000-00000000000b',
      'unknown',
      {
        savedObject: {
          type: 'cases-comments',
          id: 'a0000001-0000-4000-8000-00000000000b',
          attributes: {
            type: 'event',
            eventId: ['evt-1', 'evt-2'],
            index: ['logs-endpoint.events.process-default', 'logs-endpoint.events.process-default'],
            owner: 'securitySolution',
            created_at: at(11),
            created_by: { email: null, full_name: null, username: 'elastic' },
            pushed_at: null,
            pushed_by: null,
            updated_at: null,
            updated_by: null,
          },
          references: [{ id: CASE_ID, name: 'associated-cases', type: 'cases' }],
          typeMigrationVersion: '10.1.0',
        },
      },
      11,
      elastic,
    ),
  ];
}

function action(id: string, type: UserAction['type'], verb: UserAction['action'], payload: Record<string, unknown>, minute: number, attachmentId?: string): UserAction {
  return { id, caseId: CASE_ID, type, action: verb, payload, createdAt: at(minute), createdBy: alice, owner: 'securitySolution', ...(attachmentId ? { attachmentId } : {}) };
}

export function richUserActions(): UserAction[] {
  const [comment, event, , , indicator, , timeline, , chart] = richAttachments();
  return [
    action('b0000001-0000-4000-8000-000000000001', 'create_case', 'create', {
      title: 'Phishing wave',
      description: 'Users in finance got mail.',
      status: 'open',
      severity: 'medium',
      tags: ['phishing'],
      assignees: ['U0ALICE', 'U0BOB'],
      settings: { syncAlerts: false },
      owner: 'securitySolution',
    }, 0),
    action('b0000001-0000-4000-8000-000000000002', 'status', 'update', { status: 'in-progress' }, 12),
    action('b0000001-0000-4000-8000-000000000003', 'severity', 'update', { severity: 'high' }, 13),
    action('b0000001-0000-4000-8000-000000000004', 'tags', 'add', { tags: ['finance'] }, 14),
    action('b0000001-0000-4000-8000-000000000005', 'assignees', 'add', { assignees: [{ uid: 'kibana:u_kibana_only_0' }, { uid: 'U0BOB' }] }, 15),
    action('b0000001-0000-4000-8000-000000000006', 'comment', 'create', { comment: { type: 'user', comment: comment?.data.comment, owner: 'securitySolution' } }, 16, comment?.id),
    action('b0000001-0000-4000-8000-000000000007', 'comment', 'create', { comment: { type: 'event', data: event?.data, owner: 'securitySolution' } }, 17, event?.id),
    action('b0000001-0000-4000-8000-000000000008', 'comment', 'create', { comment: { type: 'indicator', data: indicator?.data, owner: 'securitySolution' } }, 18, indicator?.id),
    action('b0000001-0000-4000-8000-000000000009', 'comment', 'create', { comment: { type: 'timeline', data: timeline?.data, owner: 'securitySolution' } }, 19, timeline?.id),
    action('b0000001-0000-4000-8000-00000000000a', 'comment', 'create', { comment: { type: 'visualization', data: chart?.data, owner: 'securitySolution' } }, 20, chart?.id),
    action('b0000001-0000-4000-8000-00000000000b', 'title', 'update', { title: 'Phishing wave <b>"invoice"</b> --> finance' }, 21),
    action('b0000001-0000-4000-8000-00000000000c', 'settings', 'update', { settings: { syncAlerts: false } }, 22),
  ];
}

export function richExportInput(): CaseExportInput {
  return { case: richCase(), attachments: richAttachments(), userActions: richUserActions() };
}
