// Chat (Slack). Every call is a plain JSON-serializable request so the outbox can keep it in
// SQLite and replay it after an outage. Adapters throw AppError: rate_limited (with
// retryAfterMs), unavailable or network (transient); anything else (invalid_blocks,
// channel_not_found, not_in_channel) is final and is logged, never retried.

/** A Block Kit block; views build them (src/slack/views), the port only carries them. */
export interface ChatBlock {
  readonly type: string;
}

export interface ChatView {
  readonly type: 'modal' | 'home';
}

export interface ChatPostMessage {
  channel: string;
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks?: readonly ChatBlock[];
  threadTs?: string;
  /** Thread reply also shown in the channel (reply_broadcast). */
  broadcast?: boolean;
  /**
   * Names this post (carried as Slack message metadata) so findPost can find it again when the
   * process died before it recorded the answer. Unique per intended message.
   */
  postKey?: string;
}

/** Where to look for an earlier post of the bot's own, by the postKey it carried. */
export interface ChatFindPost {
  channel: string;
  /** Look among this thread's replies; among the channel's top-level messages when absent. */
  threadTs?: string;
  /** Only messages posted after this moment (the intent's time minus a margin for clock skew). */
  since: Date;
  postKey: string;
}

export interface ChatUpdateMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: readonly ChatBlock[];
}

export interface ChatEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: readonly ChatBlock[];
  threadTs?: string;
}

export interface ChatPort {
  postMessage(msg: ChatPostMessage): Promise<{ channel: string; ts: string }>;
  /** The bot's own message carrying `postKey`, or null (conversations.history / conversations.replies). */
  findPost(query: ChatFindPost): Promise<{ channel: string; ts: string } | null>;
  updateMessage(msg: ChatUpdateMessage): Promise<void>;
  postEphemeral(msg: ChatEphemeral): Promise<void>;
  /** views.open; trigger ids expire after 3 s, so this is never queued. */
  openModal(triggerId: string, view: ChatView): Promise<{ viewId: string }>;
  updateModal(viewId: string, view: ChatView): Promise<void>;
  publishHome(userId: string, view: ChatView): Promise<void>;
  /** User ids in a user group (usergroups.users.list). */
  usergroupMembers(groupId: string): Promise<string[]>;
  /** Stopping: calls in flight fail at once (as a network error, so their work is retried on the next start), and so do later ones. */
  close?(): void;
}
