// What the Slack stand-in remembers: one workspace with channels, users, user groups, the bot's
// messages (with every revision), ephemeral messages and views. Text is stored exactly as sent so
// tests can check escaping.

export interface Identity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** Whether the bot is a member; posting answers `not_in_channel` when false. */
  isMember: boolean;
  members: string[];
  isArchived: boolean;
}

export interface User {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  deleted: boolean;
}

export interface MessageRevision {
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  /** ts of the revision's edit, or of the post for the first one. */
  at: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  replyBroadcast: boolean;
  text: string;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
  /** Earlier versions, oldest first; chat.update replaces in place and appends here. */
  history: MessageRevision[];
  editedTs: string | undefined;
  deleted: boolean;
  /** Other arguments as sent (unfurl_links, mrkdwn, username...). */
  extra: Record<string, unknown>;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  /** Where it came from: chat.postEphemeral, an ack payload or a response_url. */
  via: 'chat.postEphemeral' | 'ack' | 'response_url';
  /** How many times a later response_url with replace_original replaced it. */
  replaced?: number;
}

export interface StoredView {
  id: string;
  user: string;
  type: 'modal' | 'home';
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string | null;
  previousViewId: string | null;
  /** Revisions via views.update / response_action update, oldest first. */
  history: Record<string, unknown>[];
  closed: boolean;
}

export class SlackState {
  readonly channels = new Map<string, Channel>();
  readonly users = new Map<string, User>();
  readonly usergroups = new Map<string, string[]>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, StoredView>();
  /** Open modal stack per user, bottom first. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  /** trigger_id → who it was issued to and when; Slack lets a trigger open one view within 3 s. */
  readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private lastMicros = 0;
  private counter = 0;

  constructor(readonly identity: Identity) {}

  /** Slack-shaped, unique and increasing: "1712345678.000100". */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    return `${Math.floor(this.lastMicros / 1e6)}.${String(this.lastMicros % 1e6).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${String(this.counter).padStart(9, '0')}`;
  }

  issueTrigger(user: string): string {
    const id = `${Date.now()}${this.counter + 1}.${this.identity.teamId}.${Math.random().toString(16).slice(2, 18)}`;
    this.counter += 1;
    this.triggers.set(id, { user, issuedAt: Date.now(), used: false });
    return id;
  }

  /**
   * Copies blocks, giving every block a block_id and every interactive element an action_id when
   * the app left them out, as Slack does when it stores a message or view.
   */
  withIds(blocks: unknown[] | undefined): unknown[] | undefined {
    if (!blocks) return blocks;
    const copy = structuredClone(blocks) as Record<string, unknown>[];
    const element = (e: unknown): void => {
      if (
        e &&
        typeof e === 'object' &&
        'type' in e &&
        (e as { type: unknown }).type !== 'image' &&
        !('action_id' in e)
      ) {
        (e as Record<string, unknown>).action_id = this.nextId('act');
      }
    };
    for (const block of copy) {
      if (!block || typeof block !== 'object') continue;
      if (block.block_id === undefined) block.block_id = this.nextId('blk');
      if (block.type === 'actions' && Array.isArray(block.elements)) block.elements.forEach(element);
      if (block.type === 'section' && block.accessory) element(block.accessory);
      if (block.type === 'input' && block.element) element(block.element);
    }
    return copy;
  }

  /** By id, or by name with or without '#'. */
  findChannel(idOrName: string): Channel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** Posting to a user id opens (or reuses) the bot's DM with that user, as Slack does. */
  directChannel(userId: string): Channel | undefined {
    if (!this.users.has(userId)) return undefined;
    const existing = [...this.channels.values()].find((c) => c.id.startsWith('D') && c.name === userId);
    if (existing) return existing;
    const dm: Channel = {
      id: this.nextId('D'),
      name: userId,
      isPrivate: true,
      isMember: true,
      members: [userId, this.identity.botUserId],
      isArchived: false,
    };
    this.channels.set(dm.id, dm);
    return dm;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  repliesOf(channel: string, threadTs: string): StoredMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && m.threadTs === threadTs && m.ts !== threadTs && !m.deleted,
    );
  }

  openModals(user: string): StoredView[] {
    return (this.modalStacks.get(user) ?? []).map((id) => this.views.get(id)!).filter((v) => !v.closed);
  }
}
