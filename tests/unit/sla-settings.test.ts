import { loadConfig } from '../../src/config';
import { DEFAULT_NUDGE_POLICY, nudgePolicy } from '../../src/cases/nudges';
import { DEFAULT_SLA_POLICY, slaPolicy } from '../../src/cases/sla';

const minimal = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

test('SLA targets default per severity; a severity set in the environment replaces only its own', () => {
  const defaults = loadConfig(minimal);
  expect(defaults.ok && slaPolicy(defaults.config.sla.targets, defaults.config.sla.warnAtPercent)).toEqual(DEFAULT_SLA_POLICY);
  const tuned = loadConfig({ ...minimal, CASEOPS_SLA_HIGH: '30m/2d', CASEOPS_SLA_WARN_AT_PERCENT: '50' });
  expect(tuned.ok && slaPolicy(tuned.config.sla.targets, tuned.config.sla.warnAtPercent)).toEqual({
    targets: { ...DEFAULT_SLA_POLICY.targets, high: { acknowledge: 30 * 60_000, resolve: 2 * 86_400_000 } },
    warnAt: 0.5,
  });
});

test.each([
  ['CASEOPS_SLA_CRITICAL', '15 minutes', 'CASEOPS_SLA_CRITICAL must be <acknowledge>/<resolve> durations such as 15m/4h (units m, h, d)'],
  ['CASEOPS_SLA_LOW', '2d/1d', 'CASEOPS_SLA_LOW the acknowledge time must be more than 0 and no longer than the resolve time'],
  ['CASEOPS_SLA_MEDIUM', '0m/1h', 'CASEOPS_SLA_MEDIUM the acknowledge time must be more than 0 and no longer than the resolve time'],
  ['CASEOPS_SLA_WARN_AT_PERCENT', '100', 'CASEOPS_SLA_WARN_AT_PERCENT must be between 1 and 99'],
  ['CASEOPS_NUDGE_HIGH', '8 hours', 'CASEOPS_NUDGE_HIGH must be a duration such as 30m, 8h or 2d (units m, h, d)'],
  ['CASEOPS_NUDGE_CRITICAL', '5m', 'CASEOPS_NUDGE_CRITICAL must be at least 15m (a nudge more often than that is noise)'],
])('%s=%s is refused with a message naming the setting', (name, value, problem) => {
  expect(loadConfig({ ...minimal, [name]: value })).toEqual({ ok: false, problems: [problem] });
});

test('nudge periods default per severity; a severity set in the environment replaces only its own', () => {
  const defaults = loadConfig(minimal);
  expect(defaults.ok && nudgePolicy(defaults.config.nudges)).toEqual(DEFAULT_NUDGE_POLICY);
  const tuned = loadConfig({ ...minimal, CASEOPS_NUDGE_CRITICAL: '30m', CASEOPS_NUDGE_LOW: '7d' });
  expect(tuned.ok && nudgePolicy(tuned.config.nudges)).toEqual({ ...DEFAULT_NUDGE_POLICY, critical: 30 * 60_000, low: 7 * 86_400_000 });
});
