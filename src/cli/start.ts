import type { Command } from 'commander';
import { createLogger } from '../log.js';
import { createServices } from '../main.js';
import { startBot, type Bot } from '../slack/bot.js';
import { errorMessage } from '../errors.js';
import { botWebhooks } from '../web/bot-webhooks.js';
import { createMetrics } from '../web/metrics.js';
import { startWebServer, type WebServer } from '../web/server.js';
import { loadCliContext } from './cli-context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync start`: the bot. Bolt in Socket Mode, the outbox, the scheduler and the job
// runner, plus /healthz, /metrics and the GitHub webhook receiver. Runs until SIGINT/SIGTERM (or
// `stop` is aborted), then stops listening first and lets running jobs go back to the queue (they
// resume on the next start).

/** The bot's longest synchronous wait for another process's SQLite write lock. */
export const START_BUSY_TIMEOUT_MS = 200;

export interface StartOptions {
  /** Tests stop the bot with this instead of a signal. */
  stop?: AbortSignal;
  /** Told once everything listens (tests wait for it). */
  onReady?: (info: { web: string | null }) => void;
}

function shutdownSignal(stop: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const finish = (why: string) => (): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(why);
    };
    const onInt = finish('SIGINT');
    const onTerm = finish('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (stop?.aborted) finish('stop')();
    else stop?.addEventListener('abort', finish('stop'), { once: true });
  });
}

export async function startCommand(
  opts: { config: string },
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  if (!ctx.env.SLACK_BOT_TOKEN || !ctx.env.SLACK_APP_TOKEN) {
    io.stderr(
      'error: SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…) must be set: the bot lives in Slack (see manifest.yml)',
    );
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: ctx.env.LOG_LEVEL });
  let services;
  try {
    // A CLI run holding the write lock must not stall Slack acks: waits are short, busy calls retried.
    services = createServices({ config: ctx.config, env: ctx.env, logger, busyTimeoutMs: START_BUSY_TIMEOUT_MS });
  } catch (err) {
    io.stderr(`error: ${errorMessage(err)}`);
    return EXIT_USAGE;
  }
  let bot: Bot | null = null;
  let web: WebServer | null = null;
  let connected = false;
  try {
    bot = await startBot(services);
    connected = true;
    bot.slack.receiver.client.on('connected', () => (connected = true));
    bot.slack.receiver.client.on('disconnected', () => (connected = false));
    const b = bot;
    const sendQueue = services.slack.outbox;
    const metrics = createMetrics();
    // POST /webhooks/github only with GITHUB_WEBHOOK_SECRET; polling covers everything without it.
    const webhooks = botWebhooks(services, b.ciWatcher, metrics);
    web = await startWebServer({
      host: ctx.config.web.host,
      port: ctx.config.web.port,
      log: logger.child({ component: 'web' }),
      metrics,
      ...(webhooks ? { webhooks } : {}),
      health: () => {
        const outbox = sendQueue.counts();
        const fault = services.runner.storageFault();
        return {
          ok: connected && !fault,
          checks: {
            slack: { ok: connected, detail: connected ? 'socket open' : 'reconnecting' },
            outbox: { ok: true, detail: `${outbox.pending} pending, ${outbox.dead} dropped` },
            storage: fault
              ? { ok: false, detail: `${fault.message} (since ${fault.since}); jobs wait until it can be written` }
              : { ok: true, detail: 'writable' },
          },
        };
      },
    });
    options.onReady?.({ web: web.url });
    const why = await shutdownSignal(options.stop);
    logger.info({ why }, 'stopping');
    return EXIT_OK;
  } catch (err) {
    logger.error({ err }, 'the bot could not start');
    io.stderr(`error: ${errorMessage(err)}`);
    return EXIT_FAILED;
  } finally {
    await web?.close();
    await bot?.stop();
    await services.close();
  }
}

export function registerStartCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('start')
      .description(
        'run the bot: Slack (Socket Mode), the schedule, the job runner, /healthz, /metrics and (with GITHUB_WEBHOOK_SECRET) /webhooks/github',
      ),
  ).action(async (opts: { config: string }) => setExit(await startCommand(opts, io)));
}
