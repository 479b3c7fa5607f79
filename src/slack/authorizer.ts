import type { Action, Config, PipelineConfig } from '../config/schema.js';
import type { Clock } from '../ports.js';
import { errorMessage } from '../errors.js';
import { mentionChannel, mentionPrincipal } from './mrkdwn.js';

// Who may press what (invariant 7). Allow-lists name Slack users (U…/W…) and user groups (S…);
// a pipeline's list for an action replaces the top-level one. No list means nobody. Reading
// (status, help, history) is open to everyone in the pipeline's channel. Group membership comes
// from usergroups.users.list behind a short cache; when Slack cannot answer, we refuse.

export type Permission = Action | 'read';

export interface AuthRequest {
  userId: string;
  pipeline: PipelineConfig;
  permission: Permission;
  /** `home`: an App Home button (no channel to check); `channel`: a command or a message button. */
  surface: 'channel' | 'home';
  channelId: string | null;
}

export type AuthDecision =
  | { allowed: true; via: 'open' | 'user' | 'group' }
  | { allowed: false; reason: 'wrong-channel' | 'no-list' | 'not-listed' | 'lookup-failed'; message: string };

export type GroupMembers = (groupId: string) => Promise<string[]>;

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_GROUP = /^S[A-Z0-9]{2,}$/;

export class Authorizer {
  private readonly cache = new Map<string, { members: Set<string>; at: number }>();
  private readonly inflight = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly config: Config,
    private readonly groupMembers: GroupMembers,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  /** The Slack principals allowed to do `action` on `pipeline`, or null when there is no list. */
  allowList(pipeline: PipelineConfig, action: Action): string[] | null {
    const list = pipeline.access?.[action] ?? this.config.access[action];
    if (!list) return null;
    return list.filter((p) => SLACK_USER.test(p) || SLACK_GROUP.test(p));
  }

  async authorize(req: AuthRequest): Promise<AuthDecision> {
    const { pipeline, permission } = req;
    if (req.surface === 'channel') {
      const channel = pipeline.slack?.channel;
      if (!channel || req.channelId !== channel) {
        const where = channel
          ? `only in ${mentionChannel(channel)} and App Home`
          : 'only in App Home (it has no `slack.channel`)';
        return {
          allowed: false,
          reason: 'wrong-channel',
          message: `Commands for *${pipeline.id}* are accepted ${where}.`,
        };
      }
    }
    if (permission === 'read') return { allowed: true, via: 'open' };

    const list = this.allowList(pipeline, permission);
    if (!list || list.length === 0) {
      return {
        allowed: false,
        reason: 'no-list',
        message: `Nobody may *${permission}* for *${pipeline.id}*: the configuration has no Slack ids in \`access.${permission}\`.`,
      };
    }
    if (list.includes(req.userId)) return { allowed: true, via: 'user' };
    const refusal = `You may not *${permission}* for *${pipeline.id}*. Allowed: ${list.map(mentionPrincipal).join(', ')}.`;
    for (const group of list.filter((p) => SLACK_GROUP.test(p))) {
      let members: Set<string>;
      try {
        members = await this.members(group);
      } catch (err) {
        return {
          allowed: false,
          reason: 'lookup-failed',
          message: `Could not check membership of ${mentionPrincipal(group)} (${errorMessage(err)}); try again in a moment. ${refusal}`,
        };
      }
      if (members.has(req.userId)) return { allowed: true, via: 'group' };
    }
    return { allowed: false, reason: 'not-listed', message: refusal };
  }

  private async members(group: string): Promise<Set<string>> {
    const hit = this.cache.get(group);
    const now = this.clock.now().getTime();
    if (hit && now - hit.at < this.ttlMs) return hit.members;
    // Concurrent clicks share one lookup instead of each calling Slack.
    let pending = this.inflight.get(group);
    if (!pending) {
      pending = this.groupMembers(group)
        .then((ids) => {
          const members = new Set(ids);
          this.cache.set(group, { members, at: this.clock.now().getTime() });
          return members;
        })
        .finally(() => this.inflight.delete(group));
      this.inflight.set(group, pending);
    }
    return pending;
  }
}
