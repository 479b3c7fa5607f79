import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../errors.js';
import { ResponseUrls } from './response-urls.js';
import { SlackFaults } from './slack-faults.js';
import { SlackInteractions } from './slack-interactions.js';
import { visibleText } from './slack-shapes.js';
import {
  SlackState,
  type Channel,
  type EphemeralMessage,
  type Identity,
  type StoredMessage,
  type StoredView,
  type User,
} from './slack-state.js';
import { SocketModeServer } from './socket-mode-server.js';
import { createWebApiHandler, type ApiCall, type Unexpected } from './web-api.js';

// A local Slack: Web API + Socket Mode on 127.0.0.1, one workspace, inspectable state, faults.
// Start it before the Bolt App (the App constructor calls auth.test), stop the App before close().

export interface SlackSandboxOptions {
  botToken?: string;
  appToken?: string;
  identity?: Partial<Identity>;
  /** How long an envelope waits for its ack; Slack gives 3 s. */
  ackTimeoutMs?: number;
}

export interface ChannelInput {
  id?: string;
  name: string;
  isPrivate?: boolean;
  /** Default true; false makes chat.postMessage answer not_in_channel until conversations.join. */
  isMember?: boolean;
  members?: string[];
  isArchived?: boolean;
}

const DEFAULT_IDENTITY: Identity = {
  teamId: 'T0SANDBOX1',
  teamDomain: 'sandbox',
  appId: 'A0SANDBOX1',
  botId: 'B0SANDBOX1',
  botUserId: 'U0SANDBOXBOT',
  botName: 'upstream-sync',
};

export class SlackSandbox extends SlackInteractions {
  readonly faults: SlackFaults;
  /** Every Web API and response_url call, in order. */
  readonly calls: ApiCall[];
  readonly unexpected: Unexpected[];
  readonly botToken: string;
  readonly appToken: string;
  private readonly server: Server;
  private readonly changes = new EventEmitter();
  private port = 0;

  constructor(options: SlackSandboxOptions = {}) {
    const state = new SlackState({ ...DEFAULT_IDENTITY, ...options.identity });
    const faults = new SlackFaults();
    const socket = new SocketModeServer({
      faults,
      ackTimeoutMs: options.ackTimeoutMs ?? 3000,
      appId: state.identity.appId,
    });
    const calls: ApiCall[] = [];
    const unexpected: Unexpected[] = [];
    super(state, socket, new ResponseUrls({ state, calls, unexpected }), () => this.origin);
    this.calls = calls;
    this.unexpected = unexpected;
    this.faults = faults;
    this.botToken = options.botToken ?? 'xoxb-0000000001-sandbox-bot-token';
    this.appToken = options.appToken ?? 'xapp-1-A0SANDBOX1-0000000001-sandbox-app-token';
    const webApi = createWebApiHandler({
      state,
      faults,
      tokens: { bot: this.botToken, app: this.appToken },
      calls,
      unexpected,
      openConnection: () => socket.issueUrl(this.origin),
      baseUrl: () => this.origin,
      changed: () => this.changes.emit('change'),
    });
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.origin);
      const handled = url.pathname.startsWith('/api/')
        ? webApi(req, res, url)
        : url.pathname.startsWith('/response/')
          ? this.responseUrls.handle(req, res, url)
          : undefined;
      if (!handled) {
        unexpected.push({ reason: `no route for ${req.method} ${url.pathname}`, path: url.pathname });
        res.writeHead(404).end();
        return;
      }
      handled.then(
        () => this.changes.emit('change'),
        (err: unknown) => {
          unexpected.push({ reason: `stand-in failed: ${String(err)}`, path: url.pathname });
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
    });
    this.server.on('upgrade', (req, sock, head) => socket.handleUpgrade(req, sock, head));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** For Bolt's `clientOptions.slackApiUrl` and SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** What the bot process needs to talk to this stand-in instead of Slack. */
  env(): { SLACK_BOT_TOKEN: string; SLACK_APP_TOKEN: string; SLACK_API_URL: string } {
    return { SLACK_BOT_TOKEN: this.botToken, SLACK_APP_TOKEN: this.appToken, SLACK_API_URL: this.apiUrl };
  }

  get identity(): Identity {
    return this.state.identity;
  }

  // --- workspace setup -----------------------------------------------------------------------

  addChannel(input: ChannelInput): Channel {
    const channel: Channel = {
      id: input.id ?? this.state.nextId(input.isPrivate ? 'G' : 'C'),
      name: input.name,
      isPrivate: input.isPrivate ?? false,
      isMember: input.isMember ?? true,
      members: [...(input.members ?? [])],
      isArchived: input.isArchived ?? false,
    };
    this.state.channels.set(channel.id, channel);
    return channel;
  }

  addUser(input: { id: string; name?: string; realName?: string; isBot?: boolean; deleted?: boolean }): User {
    const user: User = {
      id: input.id,
      name: input.name ?? input.id.toLowerCase(),
      realName: input.realName ?? input.name ?? input.id,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
    };
    this.state.users.set(user.id, user);
    return user;
  }

  addUsergroup(id: string, users: string[]): void {
    this.state.usergroups.set(id, [...users]);
  }

  // --- Socket Mode ---------------------------------------------------------------------------

  /** Resolves when connection number `count` (default: the next one) has been greeted. */
  waitForConnection(count?: number, timeoutMs?: number): Promise<void> {
    return this.socket.waitForConnection(count, timeoutMs);
  }

  get connectionCount(): number {
    return this.socket.connectionCount;
  }

  get openConnections(): number {
    return this.socket.openConnections;
  }

  /** Socket Mode connection attempts refused during an outage. */
  get refusedConnections(): number {
    return this.socket.refusedConnections;
  }

  /** Sends Slack's `disconnect` envelope (the client reconnects), or with `abrupt` drops the TCP connection. */
  disconnect(options: { reason?: string; abrupt?: boolean } = {}): void {
    this.socket.disconnect(options);
  }

  /** Envelopes take turns over the open connections (several replicas), each still reaching one. */
  spreadEvents(on = true): void {
    this.socket.spread = on;
  }

  get envelopes(): SocketModeServer['envelopes'] {
    return this.socket.envelopes;
  }

  // --- what the bot did ----------------------------------------------------------------------

  /** Posted messages in a channel (top level and replies), oldest first; deleted ones left out. */
  messages(channel: string): StoredMessage[] {
    const id = this.state.findChannel(channel)?.id ?? channel;
    return this.state.messages.filter((m) => m.channel === id && !m.deleted);
  }

  findMessage(channel: string, predicate: (m: StoredMessage, text: string) => boolean): StoredMessage | undefined {
    return this.messages(channel).find((m) =>
      predicate(m, [m.text, visibleText(m.blocks), visibleText(m.attachments)].join('\n')),
    );
  }

  /** Replies in the thread started by `ts`, oldest first (the parent excluded). */
  threadOf(channel: string, ts: string): StoredMessage[] {
    return this.state.repliesOf(this.state.findChannel(channel)?.id ?? channel, ts);
  }

  /** Waits for a message to appear or change to match (the bot posts after it acks). */
  waitForMessage(
    channel: string,
    predicate: (m: StoredMessage, text: string) => boolean,
    timeoutMs = 5000,
  ): Promise<StoredMessage> {
    return this.waitFor(() => this.findMessage(channel, predicate), {
      timeoutMs,
      what: `a matching message in ${channel}`,
    });
  }

  /** Re-checks `probe` after every request the stand-in serves until it returns a value. */
  async waitFor<T>(probe: () => T | undefined, options: { timeoutMs?: number; what?: string } = {}): Promise<T> {
    const first = probe();
    if (first !== undefined) return first;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.changes.off('change', check);
        reject(new AppError('timeout', `no ${options.what ?? 'match'} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.changes.off('change', check);
        resolve(value);
      };
      this.changes.on('change', check);
    });
  }

  ephemeralsFor(user: string, channel?: string): EphemeralMessage[] {
    return this.state.ephemerals.filter((e) => e.user === user && (channel === undefined || e.channel === channel));
  }

  openModals(user: string): StoredView[] {
    return this.state.openModals(user);
  }

  homeView(user: string): StoredView | undefined {
    const id = this.state.homes.get(user);
    return id ? this.state.views.get(id) : undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Throws if the bot called an unknown method, an unknown path, or sent an unreadable body. */
  assertNoUnexpectedRequests(): void {
    if (this.unexpected.length === 0) return;
    throw new AppError(
      'internal',
      `Slack stand-in got ${this.unexpected.length} unexpected request(s): ${this.unexpected.map((u) => `${u.method ?? u.path}: ${u.reason}`).join('; ')}`,
      { details: { unexpected: this.unexpected } },
    );
  }

  /** Throws if any call was answered ok:false other than injected faults and `allowed` errors. */
  assertNoFailedCalls(allowed: string[] = []): void {
    const failed = this.calls.filter((c) => !c.response.ok && !c.fault && !allowed.includes(String(c.response.error)));
    if (failed.length === 0) return;
    throw new AppError(
      'internal',
      `Slack stand-in answered ${failed.length} call(s) with errors: ${failed.map((c) => `${c.method}: ${String(c.response.error)}`).join('; ')}`,
      { details: { failed } },
    );
  }

  /** Closes every socket and the server. Stop the Bolt App first, or it will try to reconnect. */
  async close(): Promise<void> {
    await this.socket.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export async function startSlackSandbox(options: SlackSandboxOptions = {}): Promise<SlackSandbox> {
  return new SlackSandbox(options).listen();
}
