import { parseCaseCommand, parseCaseRef } from '../../src/slack/commands/parse';

describe('/case grammar', () => {
  test.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['new Suspicious login', { kind: 'new', title: 'Suspicious login', tags: [], assignees: [] }],
    ['new', { kind: 'new', title: '', tags: [], assignees: [] }],
    ['new sev:high #c2', { kind: 'new', title: '', severity: 'high', tags: ['c2'], assignees: [] }],
    ['comment 42 Blocked the sender\n  at the gateway', { kind: 'comment', ref: { number: 42 }, text: 'Blocked the sender\n  at the gateway' }],
    ['status #7 in progress', { kind: 'status', ref: { number: 7 }, status: 'in-progress' }],
    ['close 7', { kind: 'status', ref: { number: 7 }, status: 'closed' }],
    ['reopen 7', { kind: 'status', ref: { number: 7 }, status: 'open' }],
    ['severity 7 crit', { kind: 'severity', ref: { number: 7 }, severity: 'critical' }],
    ['assign 7 <@U0BOB|bob> <@U0CAROL>', { kind: 'assign', ref: { number: 7 }, users: ['U0BOB', 'U0CAROL'] }],
    ['unassign 7 <@U0BOB>', { kind: 'unassign', ref: { number: 7 }, users: ['U0BOB'] }],
    ['tag 7 #phishing vip', { kind: 'tag', ref: { number: 7 }, tags: ['phishing', 'vip'] }],
    ['untag 7 #vip', { kind: 'untag', ref: { number: 7 }, tags: ['vip'] }],
    [
      'new Beacon to 203.0.113.7 sev:high #c2 #vip <@U0BOB|bob> <@W0CAROL>',
      { kind: 'new', title: 'Beacon to 203.0.113.7', severity: 'high', tags: ['c2', 'vip'], assignees: ['U0BOB', 'W0CAROL'] },
    ],
    ['new sev:crit Ransom note on fs-02', { kind: 'new', title: 'Ransom note on fs-02', severity: 'critical', tags: [], assignees: [] }],
    ['new severity:Medium A B', { kind: 'new', title: 'A B', severity: 'medium', tags: [], assignees: [] }],
    ['new Phish <#C0PHISH|phishing>', { kind: 'new', title: 'Phish', tags: ['phishing'], assignees: [] }],
    ['new Q&amp;A &lt;script&gt;', { kind: 'new', title: 'Q&A <script>', tags: [], assignees: [] }],
    ['list', { kind: 'list', statuses: ['open', 'in-progress'], mine: false }],
    ['list closed', { kind: 'list', statuses: ['closed'], mine: false }],
    ['list in progress', { kind: 'list', statuses: ['in-progress'], mine: false }],
    ['list all mine #phishing sev:high sev:critical', { kind: 'list', mine: true, tag: 'phishing', severities: ['high', 'critical'] }],
    ['show 42', { kind: 'show', ref: { number: 42 } }],
    ['show #7', { kind: 'show', ref: { number: 7 } }],
    ['SHOW 0f8fad5b-d9cb-469f-a165-70867728950e', { kind: 'show', ref: { id: '0f8fad5b-d9cb-469f-a165-70867728950e' } }],
  ])('%j', (text, command) => {
    expect(parseCaseCommand(text)).toEqual({ ok: true, command: expect.objectContaining(command) });
  });

  test.each([
    ['new Outage sev:urgent', /Unknown severity `urgent`.*low, medium, high, critical/],
    ['new Outage sev:', /Unknown severity/],
    ['list yesterday', /I don't know how to list `yesterday`/],
    ['show', /Which case\?/],
    ['show 1 2', /takes one case/],
    ['show abc', /`abc` is not a case reference/],
    ["show 1' OR '1'='1", /not a case reference/],
    ['show 0', /not a case reference/],
    ['shwo 4', /I don't know `\/case shwo`.*Did you mean `\/case show`/],
    ['frobnicate', /I don't know `\/case frobnicate`\. Type `\/case help`/],
    ['comment', /Which case\?/],
    ['comment 42', /What is the comment\?/],
    ['comment abc hello', /`abc` is not a case reference/],
    ['status 7', /Which status\?/],
    ['status 7 pending', /Which status\?/],
    ['close 7 now', /takes one case/],
    ['severity 7 extreme', /Unknown severity `extreme`/],
    ['assign 7 bob', /Mention the people to assign/],
    ['tag 7', /Which tags\?/],
    ['reopen', /Which case\?/],
  ])('%j is refused with a message that says what was expected', (text, message) => {
    const result = parseCaseCommand(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  test('echoed input is escaped and clipped, so it cannot inject mrkdwn or links', () => {
    const result = parseCaseCommand(`show <!channel>${'x'.repeat(100)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).not.toContain('<!channel>');
      expect(result.error).toContain('&lt;!channel&gt;');
      expect(result.error.length).toBeLessThan(200);
    }
  });

  test('case references', () => {
    expect(parseCaseRef('#000042')).toEqual({ ok: true, ref: { number: 42 } });
    expect(parseCaseRef('9999999999').ok).toBe(false);
  });
});
