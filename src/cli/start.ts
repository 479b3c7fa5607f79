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

export interface StartOptions {
  /** Tests stop the bot with this instead of a signal. */
  stop?: AbortSignal;
  /** Told once everything listens (tests wait for it). */
  onReady?: (info: { web: string | null }) => void;
  /** Test tuning of the bot (reconnect pace, bounds). */
  bot?: BotOptions;
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
    app = await startApp({ config: ctx.config, env: ctx.env, logger, ...(options.bot ? { bot: options.bot } : {}) });
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
    const why = await shutdownSignal(options.stop);
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
