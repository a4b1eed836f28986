import { type Actor, type Case, SEVERITIES, type Severity } from './model';
import { lastTouched } from './nudges';
import { inPeriod, type Period } from './period';

/**
 * A channel's digest of its cases, short enough for a phone: what was opened and closed in the period, what is still
 * open by severity, which open cases have breached an SLA target, and which have gone untouched the longest.
 */
export interface Digest {
  opened: number;
  closed: number;
  /** Open and in-progress cases now, by severity. */
  stillOpen: Record<Severity, number>;
  /** Open cases with a breached SLA target, most severe first, at most DIGEST_LIST; `breachedCount` counts them all. */
  breached: Case[];
  breachedCount: number;
  /** Open cases untouched the longest, oldest activity first, at most DIGEST_LIST. */
  untouched: Case[];
}

/** Cases a digest names in each list: the rest are counted, and `/case list` has them all. */
export const DIGEST_LIST = 3;

const SEVERITY_RANK: Record<Severity, number> = Object.fromEntries(SEVERITIES.map((severity, index) => [severity, index])) as Record<Severity, number>;

/** Builds a digest from the cases it is shown, one at a time (a scan of the team never sits in memory whole). */
export class DigestTally {
  private opened = 0;
  private closed = 0;
  private readonly stillOpen = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  private breached: Case[] = [];
  private breachedCount = 0;
  private untouched: Case[] = [];

  constructor(private readonly period: Period) {}

  add(theCase: Case): void {
    if (inPeriod(this.period, theCase.createdAt)) this.opened += 1;
    if (inPeriod(this.period, theCase.closedAt)) this.closed += 1;
    if (theCase.status === 'closed') return;
    this.stillOpen[theCase.severity] += 1;
    if (theCase.slaMarks?.some((mark) => mark.endsWith(':breach'))) {
      this.breachedCount += 1;
      this.breached = keepFirst([...this.breached, theCase], (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.number - b.number);
    }
    this.untouched = keepFirst([...this.untouched, theCase], (a, b) => lastTouched(a) - lastTouched(b) || a.number - b.number);
  }

  result(): Digest {
    return { opened: this.opened, closed: this.closed, stillOpen: { ...this.stillOpen }, breached: this.breached, breachedCount: this.breachedCount, untouched: this.untouched };
  }
}

function keepFirst(cases: Case[], order: (a: Case, b: Case) => number): Case[] {
  return cases.sort(order).slice(0, DIGEST_LIST);
}

/** A channel's daily digest: posted each day at `time` (HH:MM, the deployment's time zone, CASEOPS_TIME_ZONE). */
export interface DigestSchedule {
  teamId: string;
  channelId: string;
  time: string;
  setBy: Actor;
  setAt: string;
}

/** The channels that asked for a daily digest, one schedule per channel, shared by every replica on the store. */
export interface DigestSchedules {
  /** Sets the channel's schedule, replacing the one it had. */
  set(schedule: DigestSchedule): Promise<void>;
  /** Removes the channel's schedule; false when it had none. */
  remove(teamId: string, channelId: string): Promise<boolean>;
  /** The team's schedules, by channel id. */
  list(teamId: string): Promise<DigestSchedule[]>;
}
