import { isReleaseSync } from '../../config/require-pipeline.js';
import { LogLevel, type App, type SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { withDeadline } from '../../deadline.js';
import { SlackStartError } from './slack-start-error.js';
import type { SocketShutdown } from './socket-shutdown.js';
import type { Logger } from 'pino';
import { RELEASE_MODAL_CALLBACK } from '../action-ids.js';
import { appHomeView, type KindStatusLines } from '../views/app-home.js';
import { section } from '../views/blocks.js';
import { handleButton } from './buttons.js';
import { clickedMessage } from './button-target.js';
import { handleCommand } from './commands.js';
import { resumeRequests } from './resume-requests.js';
import { ResponseUrlPoster } from './response-url.js';
import { previewOnRecord, submitRelease } from './release-flow.js';
import type { SlackRequestKind } from './slack-intake.js';
import { retryWhileBusy } from '../../jobs/storage-fault.js';
import { afterRefresh } from './status-answer.js';
import { SlackContext, type Interaction, type Reply, type SlackDeps } from './slack-context.js';

// The Bolt app in Socket Mode. Every listener acks first and only then looks at the request
// (invariant 10: Slack's 3 s deadline is never at the mercy of SQLite, GitHub or git); what
// follows the ack parses, checks and enqueues, and answers the person when it knows more.

export interface SlackAppOptions {
  botToken: string;
  appToken: string;
  /** SLACK_API_URL; Bolt reads no env var for it. */
  apiUrl?: string;
  /** Seconds of silence before the client reconnects (Slack's default: 5 s; tests go lower). */
  clientPingTimeoutMs?: number;
  /** Retries of apps.connections.open when (re)connecting. */
  reconnectRetry?: { retries: number; minTimeout: number; maxTimeout: number; factor: number };
}

/** The Bolt app and its Socket Mode receiver, built in main.ts (deferred initialisation). */
export interface BoltParts {
  app: App;
  receiver: SocketModeReceiver;
  /** Ends the socket client's own Web API calls and reconnects at stop(). */
  shutdown?: SocketShutdown;
}

export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const write =
    (fn: (msg: string) => void) =>
    (...msg: unknown[]) =>
      fn(msg.map(String).join(' '));
  return {
    debug: write((m) => log.debug({ component: 'bolt' }, m)),
    info: write((m) => log.info({ component: 'bolt' }, m)),
    warn: write((m) => log.warn({ component: 'bolt' }, m)),
    error: write((m) => log.error({ component: 'bolt' }, m)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

export class SlackApp {
  readonly app: App;
  readonly receiver: SocketModeReceiver;
  readonly ctx: SlackContext;
  private readonly shutdown: SocketShutdown | undefined;
  private readonly responses = new ResponseUrlPoster();

  constructor(deps: SlackDeps, bolt: BoltParts) {
    this.ctx = new SlackContext(deps);
    this.app = bolt.app;
    this.receiver = bolt.receiver;
    this.shutdown = bolt.shutdown;
    this.register();
  }

  /**
   * auth.test (the bot token), then apps.connections.open and the socket (the app token). Bolt is
   * built with deferred initialisation so that a refused token is an error here, not a throw in
   * a constructor; each phase says which token it was checking.
   */
  async start(): Promise<void> {
    await this.app.init().catch((err: unknown) => {
      throw new SlackStartError('SLACK_BOT_TOKEN', err);
    });
    await this.app.start().catch((err: unknown) => {
      throw new SlackStartError('SLACK_APP_TOKEN', err);
    });
  }

  /**
   * app.stop() resolves before the socket is closed; disconnect() waits for it, but during an
   * outage it waits for a close that never comes: bounded, the process exits either way.
   */
  async stop(boundMs = 5_000): Promise<void> {
    this.responses.close();
    // First, so that a reconnect in progress (retrying apps.connections.open) ends here too.
    this.shutdown?.halt();
    await withDeadline(this.receiver.client.disconnect(), boundMs);
  }

  /** Resolves once no reconnect of the socket is in flight (after stop(): it has given up). */
  socketIdle(): Promise<void> {
    return this.shutdown?.idle() ?? Promise.resolve();
  }

  /** Commands and clicks acked before a restart but never handled: carried out or answered now. */
  resume(now: Date): Promise<number> {
    return resumeRequests(this.ctx, (user, notice) => this.publishHome(user, notice), now);
  }

  /** App Home for one person, with an optional notice on top (answers to App Home buttons). */
  async publishHome(userId: string, notice?: Reply): Promise<void> {
    const { config, status, chat } = this.ctx.deps;
    const view = appHomeView(
      await status.statuses(config.pipelines.filter((p) => isReleaseSync(p) || p.kind === 'branch-sync')),
      await this.kindStatuses(),
    );
    if (notice) view.blocks.splice(1, 0, section(notice.text));
    await chat.publishHome(userId, view);
  }

  /** Pipelines of other kinds, each with its kind's own status lines (one failing never hides the rest). */
  private async kindStatuses(): Promise<KindStatusLines[]> {
    const { config, kindStatus, log } = this.ctx.deps;
    if (!kindStatus) return [];
    return Promise.all(
      config.pipelines
        .filter((p) => !isReleaseSync(p) && p.kind !== 'branch-sync')
        .map(async (p) => {
          try {
            return { pipeline: p.id, kind: p.kind, lines: await kindStatus(p) };
          } catch (err) {
            log.warn({ err, pipeline: p.id }, 'status of a pipeline failed');
            return { pipeline: p.id, kind: p.kind, lines: [`${p.id}: status unavailable just now`] };
          }
        }),
    );
  }

  private register(): void {
    const { app, ctx } = this;
    const log = ctx.deps.log;
    const run = async (what: string, fn: () => Promise<void>, recorded?: { done(): void }): Promise<void> => {
      // The work after an ack waits for the next turn of the event loop, so that envelopes that
      // already arrived are read and acked first: in a burst, acks never queue behind work.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        // Another process holding the database lock: the whole handler is tried again shortly
        // (handlers are idempotent: jobs dedupe, answers repeat at worst), never given up on.
        await retryWhileBusy(fn, { attempts: 300, waitMs: 100 });
      } catch (err) {
        log.error({ err, what }, 'slack listener failed after its ack');
      } finally {
        recorded?.done();
      }
    };
    // Written before the ack: Slack never resends an acked request (see slack-intake.ts).
    const record = (kind: SlackRequestKind, request: Record<string, unknown>) => ctx.deps.intake?.record(kind, request);
    const ephemeral = (url: string) => (m: Reply) =>
      this.responses.post(url, { response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });

    const acked = async (type: 'command' | 'action' | 'view', ack: () => Promise<void>): Promise<void> => {
      const started = performance.now();
      await ack();
      ctx.deps.observeAck?.(type, (performance.now() - started) / 1000);
    };

    app.command('/upstream-sync', async ({ ack, command }) => {
      const recorded = record('command', {
        userId: command.user_id,
        channelId: command.channel_id,
        teamDomain: command.team_domain ?? null,
        text: command.text ?? '',
      });
      await acked('command', ack);
      const ix: Interaction = {
        userId: command.user_id,
        ...(command.user_name ? { userName: command.user_name } : {}),
        channelId: command.channel_id,
        surface: 'channel',
        teamDomain: command.team_domain ?? null,
        triggerId: command.trigger_id,
        reply: ephemeral(command.response_url),
        replace: (m) =>
          this.responses.post(command.response_url, { replace_original: true, text: m.text, blocks: m.blocks }),
      };
      await run('command', () => handleCommand(ctx, ix, command.text ?? ''), recorded);
    });

    app.action(/^us_/, async ({ ack, body, action }) => {
      if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action))
        return acked('action', ack);
      const fromHome = body.view?.type === 'home';
      const recorded = record('action', {
        userId: body.user.id,
        channelId: fromHome ? null : (body.channel?.id ?? null),
        teamDomain: body.team?.domain ?? null,
        actionId: action.action_id,
        value: action.value ?? null,
        message: clickedMessage(body),
      });
      await acked('action', ack);
      const ix: Interaction = {
        userId: body.user.id,
        ...(body.user.username || body.user.name ? { userName: body.user.username ?? body.user.name } : {}),
        channelId: fromHome ? null : (body.channel?.id ?? null),
        surface: fromHome ? 'home' : 'channel',
        teamDomain: body.team?.domain ?? null,
        triggerId: body.trigger_id,
        clicked: clickedMessage(body),
        ...(!fromHome && body.channel?.id && body.message?.ts
          ? { message: { channel: body.channel.id, ts: body.message.ts, blocks: body.message.blocks ?? [] } }
          : {}),
        reply: fromHome || !body.response_url ? (m) => this.publishHome(body.user.id, m) : ephemeral(body.response_url),
      };
      await run('action', () => handleButton(ctx, ix, action.action_id, action.value), recorded);
    });

    app.view(RELEASE_MODAL_CALLBACK, async ({ ack, body, view }) => {
      const recorded = record('view', {
        userId: body.user.id,
        teamDomain: body.team?.domain ?? null,
        viewId: view.id,
        privateMetadata: view.private_metadata ?? null,
      });
      await acked('view', () => ack());
      // The answer goes to the channel on record for this preview, never to one the metadata names.
      const found = previewOnRecord(ctx, view.id, view.private_metadata);
      const channel = found?.agrees ? found.meta.channel : null;
      const user = body.user.id;
      const reply = channel
        ? (m: Reply) => ctx.deps.chat.postEphemeral({ channel, user, text: m.text, blocks: m.blocks })
        : (m: Reply) => this.publishHome(user, m);
      const ix: Interaction = {
        userId: user,
        channelId: channel,
        surface: 'home',
        teamDomain: body.team?.domain ?? null,
        triggerId: null,
        reply,
      };
      await run('release submit', () => submitRelease(ctx, ix, view.id, view.private_metadata), recorded);
    });

    app.event('app_home_opened', async ({ event }) => {
      if (event.tab !== 'home') return;
      await run('app home', async () => {
        const jobs = await ctx.deps.status.refresh(ctx.deps.config.pipelines.filter(isReleaseSync), {
          kind: 'slack',
          id: event.user,
        });
        await this.publishHome(event.user);
        if (jobs.length) void afterRefresh(ctx, jobs, () => this.publishHome(event.user));
      });
    });

    app.error(async (err) => {
      log.error({ err }, 'bolt error');
    });
  }
}
