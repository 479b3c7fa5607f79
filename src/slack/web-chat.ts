import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { ChatEphemeral, ChatFindPost, ChatPort, ChatPostMessage, ChatUpdateMessage, ChatView } from '../ports.js';
import { findOwnPost, postMetadata } from './own-post.js';

// ChatPort over Slack's WebClient. The client never retries or waits by itself: rate limits and
// 5xx come back at once as typed errors, and the outbox decides when to try again (it remembers
// across restarts; an in-client retry loop would not, and would hold a listener hostage).

const NOT_FOUND = new Set([
  'channel_not_found',
  'message_not_found',
  'thread_not_found',
  'no_such_subteam',
  'user_not_found',
  'not_found',
]);
const FORBIDDEN = new Set([
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'cant_update_message',
  'edit_window_closed',
  'missing_scope',
  'access_denied',
]);
const UNAUTHORIZED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Maps a WebClient error to an AppError whose code says whether to retry (details name the channel, when one). */
export function chatError(method: string, err: unknown, channel: string | null = null): AppError {
  const e = err as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    headers?: Record<string, string>;
    data?: { error?: string };
  };
  const details = channel ? { method, channel } : { method };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new AppError('rate_limited', `Slack rate-limited ${method}`, {
        cause: err,
        details,
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
      });
    case webApi.ErrorCode.RequestError:
      return new AppError('network', `Slack ${method}: request failed`, { cause: err, details });
    case webApi.ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      if (status === 429) {
        const retryAfter = Number(e.headers?.['retry-after'] ?? 1);
        return new AppError('rate_limited', `Slack rate-limited ${method}`, {
          cause: err,
          details,
          retryAfterMs: (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000,
        });
      }
      const code = status >= 500 || status === 408 ? 'unavailable' : 'internal';
      return new AppError(code, `Slack ${method}: HTTP ${status}`, { cause: err, details: { ...details, status } });
    }
    case webApi.ErrorCode.PlatformError: {
      const slack = e.data?.error ?? 'unknown_error';
      const withError = { ...details, error: slack };
      if (slack === 'ratelimited')
        return new AppError('rate_limited', `Slack rate-limited ${method}`, {
          cause: err,
          details: withError,
          retryAfterMs: 1000,
        });
      const code = NOT_FOUND.has(slack)
        ? 'not_found'
        : FORBIDDEN.has(slack)
          ? 'forbidden'
          : UNAUTHORIZED.has(slack)
            ? 'unauthorized'
            : TRANSIENT.has(slack)
              ? 'unavailable'
              : 'validation';
      return new AppError(code, `Slack ${method}: ${slack}`, { cause: err, details: withError });
    }
    default:
      return new AppError('internal', `Slack ${method}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
        details,
      });
  }
}

export interface WebChatOptions {
  token: string;
  /** SLACK_API_URL; Slack's own when omitted. */
  apiUrl?: string;
  log: Logger;
  timeoutMs?: number;
  /** Told after every call: `ok`, or Slack's error (`not_in_channel`, `ratelimited`, …), or `network`/`http_<status>`. */
  onCall?: (call: { method: string; outcome: string; channel: string | null }) => void;
}

/** The outcome label of a failed WebClient call. */
function callOutcome(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e.data?.error) return e.data.error;
  if (e.code === webApi.ErrorCode.RateLimitedError) return 'ratelimited';
  if (e.code === webApi.ErrorCode.HTTPError) return `http_${e.statusCode ?? 0}`;
  return 'network';
}

export class WebChat implements ChatPort {
  private readonly client: InstanceType<typeof webApi.WebClient>;
  private readonly onCall: WebChatOptions['onCall'];
  /** Aborted by close(): a call waiting on a Slack that does not answer must not hold a stop up. */
  private readonly closing = new AbortController();
  /** The bot's own bot_id (auth.test), asked once and only when a post has to be looked for. */
  private botId: Promise<string | null> | null = null;

  constructor(options: WebChatOptions) {
    this.onCall = options.onCall;
    const closing = this.closing.signal;
    this.client = new webApi.WebClient(options.token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      fetch: (input, init) =>
        closing.aborted
          ? Promise.reject(closing.reason as Error)
          : fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, closing]) : closing }),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      logLevel: webApi.LogLevel.ERROR,
    });
  }

  async postMessage(msg: ChatPostMessage): Promise<{ channel: string; ts: string }> {
    const result = await this.call('chat.postMessage', {
      channel: msg.channel,
      text: msg.text,
      blocks: msg.blocks,
      ...(msg.threadTs ? { thread_ts: msg.threadTs, reply_broadcast: msg.broadcast ?? false } : {}),
      ...(msg.postKey ? { metadata: postMetadata(msg.postKey) } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { channel: String(result.channel), ts: String(result.ts) };
  }

  async findPost(query: ChatFindPost): Promise<{ channel: string; ts: string } | null> {
    this.botId ??= this.call('auth.test', {}).then(
      (r) => (typeof r.bot_id === 'string' ? r.bot_id : null),
      (err: unknown) => {
        this.botId = null;
        throw err;
      },
    );
    return findOwnPost((method, args) => this.call(method, args), await this.botId, query);
  }

  async updateMessage(msg: ChatUpdateMessage): Promise<void> {
    await this.call('chat.update', { channel: msg.channel, ts: msg.ts, text: msg.text, blocks: msg.blocks });
  }

  async postEphemeral(msg: ChatEphemeral): Promise<void> {
    await this.call('chat.postEphemeral', {
      channel: msg.channel,
      user: msg.user,
      text: msg.text,
      blocks: msg.blocks,
      thread_ts: msg.threadTs,
    });
  }

  async openModal(triggerId: string, view: ChatView): Promise<{ viewId: string }> {
    const result = await this.call('views.open', { trigger_id: triggerId, view });
    return { viewId: String((result.view as { id?: string } | undefined)?.id) };
  }

  async updateModal(viewId: string, view: ChatView): Promise<void> {
    await this.call('views.update', { view_id: viewId, view });
  }

  async publishHome(userId: string, view: ChatView): Promise<void> {
    await this.call('views.publish', { user_id: userId, view });
  }

  async usergroupMembers(groupId: string): Promise<string[]> {
    const result = await this.call('usergroups.users.list', { usergroup: groupId });
    return ((result.users as unknown[] | undefined) ?? []).map(String);
  }

  close(): void {
    this.closing.abort(new Error('the bot is stopping'));
  }

  private async call(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    // The WebClient serialises objects (blocks, views) to JSON strings itself; absent keys stay absent.
    const defined = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    const channel = typeof args.channel === 'string' ? args.channel : null;
    try {
      const result = (await this.client.apiCall(method, defined)) as unknown as Record<string, unknown>;
      this.onCall?.({ method, outcome: 'ok', channel });
      return result;
    } catch (err) {
      this.onCall?.({ method, outcome: callOutcome(err), channel });
      throw chatError(method, err, channel);
    }
  }
}
