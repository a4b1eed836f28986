import type { WebClient } from '@slack/web-api';
import type { ChannelMembership } from '../cases/policy';

/** Long enough to spare Slack's rate limits during a burst of list/show calls, short enough that removals bite quickly. */
export const MEMBERSHIP_TTL_MS = 60_000;

interface CachedMembers {
  members: Promise<ReadonlySet<string>>;
  expiresAt: number;
}

/**
 * Channel membership from `conversations.members`, cached per channel for a short TTL. Concurrent checks of
 * one channel share a single paginated fetch; a failed fetch is not cached.
 */
export class SlackChannelMembership implements ChannelMembership {
  private readonly cache = new Map<string, CachedMembers>();

  constructor(
    /** The client that acts in a workspace. */
    private readonly clientOf: (teamId: string) => Promise<WebClient>,
    private readonly ttlMs = MEMBERSHIP_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async isMember(teamId: string, channelId: string, userId: string): Promise<boolean> {
    return (await this.members(teamId, channelId)).has(userId);
  }

  private members(teamId: string, channelId: string): Promise<ReadonlySet<string>> {
    const key = `${teamId}:${channelId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.members;
    const members = this.fetchMembers(teamId, channelId);
    this.cache.set(key, { members, expiresAt: this.now() + this.ttlMs });
    members.catch(() => this.cache.delete(key));
    return members;
  }

  private async fetchMembers(teamId: string, channelId: string): Promise<ReadonlySet<string>> {
    const client = await this.clientOf(teamId);
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.conversations.members({ channel: channelId, limit: 1000, cursor });
      for (const member of page.members ?? []) members.add(member);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }
}
