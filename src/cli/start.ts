import type { Command } from 'commander';
import { createLogger } from '../log.js';
import { startApp, type BotOptions, type RunningApp } from '../main.js';
import { errorMessage, isAppError } from '../errors.js';
import { SlackStartError } from '../slack/app/slack-start-error.js';
import { fatalLine } from '../preflight/check.js';
import { loadCliContext } from './cli-context.js';
import { runDoctor } from './doctor.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync start`: calls main.ts's startApp and waits for SIGINT/SIGTERM (or `stop` to be
// aborted), then stops it: listeners first, running jobs back to the queue (they resume on the
// next start), every wait bounded so that a Slack outage cannot hold the process. A start that
// fails prints one line naming the setting at fault and closes whatever it had opened.

/** The bot's longest synchronous wait for another process's SQLite write lock. */
export const START_BUSY_TIMEOUT_MS = 200;

export interface StartOptions {
  /** Tests stop the bot with this instead of a signal. */
  stop?: AbortSignal;
  /** Told once everything listens (tests wait for it). */
  onReady?: (info: { web: string | null }) => void;
  /** Test tuning of the bot (reconnect pace, bounds). */
  bot?: BotOptions;
}

/**
 * Listens from the very start: a SIGTERM that arrives while the bot is still starting (preflight,
 * Socket Mode, a job already running) is kept and answered with a clean stop once it is up, never
 * by Node's default of dying mid-step.
 */
function shutdownSignal(stop: AbortSignal | undefined): { requested: Promise<string>; dispose(): void } {
  let dispose = (): void => {};
  const requested = new Promise<string>((resolve) => {
    const finish = (why: string) => (): void => {
      dispose();
      resolve(why);
    };
    const onInt = finish('SIGINT');
    const onTerm = finish('SIGTERM');
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (stop?.aborted) finish('stop')();
    else stop?.addEventListener('abort', finish('stop'), { once: true });
  });
  return { requested, dispose };
}

/** One line and an exit code for a start that failed. */
export function startFailure(err: unknown): { code: number; line: string } {
  if (err instanceof SlackStartError) return { code: err.exitCode, line: `error: ${err.message}` };
  if (isAppError(err, 'config_invalid') || isAppError(err, 'usage'))
    return { code: EXIT_USAGE, line: `error: ${err.message}` };
  const e = err as { code?: string; port?: number; address?: string };
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES')
    return {
      code: EXIT_USAGE,
      line: `error: web.port ${e.port ?? ''} on ${e.address ?? 'web.host'} is not available (${e.code}): choose another web.port`,
    };
  return { code: EXIT_FAILED, line: `error: the bot could not start: ${errorMessage(err)}` };
}

export async function startCommand(
  opts: { config: string },
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const missing = (['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'] as const).filter((name) => !ctx.env[name]);
  if (missing.length > 0) {
    io.stderr(
      `error: ${missing.join(' and ')} must be set: the bot lives in Slack (SLACK_BOT_TOKEN xoxb-…, SLACK_APP_TOKEN xapp-…; see manifest.yml)`,
    );
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: ctx.env.LOG_LEVEL });
  const shutdown = shutdownSignal(options.stop);
  try {
    return await runBot(ctx, opts, io, options, logger, shutdown.requested);
  } finally {
    shutdown.dispose();
  }
}

async function runBot(
  ctx: Exclude<Awaited<ReturnType<typeof loadCliContext>>, number>,
  opts: { config: string },
  io: CliIo,
  options: StartOptions,
  logger: ReturnType<typeof createLogger>,
  stopRequested: Promise<string>,
): Promise<number> {
  // The doctor's checks: a wrong setting refuses to start with one line each; the rest is logged
  // with what to do and the bot runs (a channel it is not in, a missing workflow scope, …).
  const checks = await runDoctor(ctx.config, opts.config, ctx.env, true);
  const fatal = checks.filter((c) => c.status === 'fail' && c.fatal);
  if (fatal.length > 0) {
    for (const c of fatal) io.stderr(fatalLine(c));
    return EXIT_USAGE;
  }
  for (const c of checks.filter((c) => c.status === 'fail'))
    logger.error({ check: c.id, detail: c.detail, fix: c.fix }, 'preflight problem');
  let app: RunningApp;
  try {
    // A CLI run holding the write lock must not stall Slack acks: waits are short, busy calls retried.
    app = await startApp({
      config: ctx.config,
      env: ctx.env,
      logger,
      busyTimeoutMs: START_BUSY_TIMEOUT_MS,
      ...(options.bot ? { bot: options.bot } : {}),
    });
  } catch (err) {
    const { code, line } = startFailure(err);
    logger.error({ err }, 'the bot could not start');
    io.stderr(line);
    return code;
  }
  logger.info({ web: app.web.url }, 'ready');
  // @slack/socket-mode leaves the promise of each failed reconnect attempt unhandled (rejected
  // with undefined); on Node's default that would kill the bot in the middle of a Slack outage.
  // Logged and survived: the client keeps reconnecting, and /readyz reports the outage.
  const onRejection = (reason: unknown): void =>
    logger.warn({ err: reason ?? null }, 'unhandled promise rejection (a reconnect attempt that failed)');
  process.on('unhandledRejection', onRejection);
  options.onReady?.({ web: app.web.url });
  try {
    const why = await stopRequested;
    logger.info({ why }, 'stopping');
    await app.stop();
    logger.info('stopped');
    return EXIT_OK;
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}

export function registerStartCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('start')
      .description(
        'run the bot: Slack (Socket Mode), the schedule, the job runner, /healthz, /readyz, /metrics and (with GITHUB_WEBHOOK_SECRET) /webhooks/github',
      ),
  ).action(async (opts: { config: string }) => {
    const code = await startCommand(opts, io);
    setExit(code);
    // Everything we opened is closed; a library timer (a Slack reconnect retry during an outage)
    // must not keep the process alive. Exits once output is flushed, or after a second at most.
    setTimeout(() => process.exit(code), 1_000).unref();
  });
}
