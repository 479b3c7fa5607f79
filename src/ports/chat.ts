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
