import type { AppError } from '../../src/errors.js';
import type {
  ChatEphemeral,
  ChatFindPost,
  ChatPort,
  ChatPostMessage,
  ChatUpdateMessage,
  ChatView,
} from '../../src/ports.js';

// An in-memory ChatPort: records what the bot sent and fails on demand, for tests of the outbox
// and notifier that do not need the whole Slack stand-in.

export type ChatCall =
  | { method: 'postMessage'; msg: ChatPostMessage; ts: string }
  | { method: 'updateMessage'; msg: ChatUpdateMessage }
  | { method: 'postEphemeral'; msg: ChatEphemeral }
  | { method: 'findPost'; query: ChatFindPost }
  | { method: 'openModal' | 'updateModal' | 'publishHome'; id: string; view: ChatView };

export class FakeChat implements ChatPort {
  readonly calls: ChatCall[] = [];
  readonly groups = new Map<string, string[]>();
  private readonly failures: { method: string; error: AppError }[] = [];
  private ts = 1000;
  /** Runs inside every call before it answers: lets a test change things while a call is in flight. */
  during: ((method: string) => Promise<void>) | null = null;

  /** The next `times` calls to `method` ('*' = any) throw `error`. */
  failNext(method: string, error: AppError, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, error });
  }

  posts(): Extract<ChatCall, { method: 'postMessage' }>[] {
    return this.calls.filter((c): c is Extract<ChatCall, { method: 'postMessage' }> => c.method === 'postMessage');
  }

  updates(): Extract<ChatCall, { method: 'updateMessage' }>[] {
    return this.calls.filter((c): c is Extract<ChatCall, { method: 'updateMessage' }> => c.method === 'updateMessage');
  }

  async postMessage(msg: ChatPostMessage): Promise<{ channel: string; ts: string }> {
    this.maybeFail('postMessage');
    await this.during?.('postMessage');
    const ts = `${(this.ts += 1)}.000100`;
    this.calls.push({ method: 'postMessage', msg, ts });
    return { channel: msg.channel, ts };
  }

  /** Finds a post the way Slack's history would: same channel (and thread), carrying the key, after `since`. */
  async findPost(query: ChatFindPost): Promise<{ channel: string; ts: string } | null> {
    this.maybeFail('findPost');
    this.calls.push({ method: 'findPost', query });
    const hit = this.posts().find(
      (p) =>
        p.msg.channel === query.channel &&
        p.msg.postKey === query.postKey &&
        (p.msg.threadTs ?? null) === (query.threadTs ?? null),
    );
    return hit ? { channel: hit.msg.channel, ts: hit.ts } : null;
  }

  async updateMessage(msg: ChatUpdateMessage): Promise<void> {
    this.maybeFail('updateMessage');
    this.calls.push({ method: 'updateMessage', msg });
  }

  async postEphemeral(msg: ChatEphemeral): Promise<void> {
    this.maybeFail('postEphemeral');
    this.calls.push({ method: 'postEphemeral', msg });
  }

  async openModal(triggerId: string, view: ChatView): Promise<{ viewId: string }> {
    this.maybeFail('openModal');
    this.calls.push({ method: 'openModal', id: triggerId, view });
    return { viewId: `V${this.calls.length}` };
  }

  async updateModal(viewId: string, view: ChatView): Promise<void> {
    this.maybeFail('updateModal');
    this.calls.push({ method: 'updateModal', id: viewId, view });
  }

  async publishHome(userId: string, view: ChatView): Promise<void> {
    this.maybeFail('publishHome');
    this.calls.push({ method: 'publishHome', id: userId, view });
  }

  async usergroupMembers(groupId: string): Promise<string[]> {
    this.maybeFail('usergroupMembers');
    return this.groups.get(groupId) ?? [];
  }

  private maybeFail(method: string): void {
    const i = this.failures.findIndex((f) => f.method === method || f.method === '*');
    if (i === -1) return;
    const [failure] = this.failures.splice(i, 1);
    throw failure!.error;
  }
}
