import { hostname, userInfo } from 'node:os';
import { loadEnv, type Env } from '../config/env.js';
import { ConfigError, formatProblem, loadConfig } from '../config/load.js';
import type { Config, PipelineConfig } from '../config/schema.js';
import { createLogger } from '../log.js';
import { createServices, type Services, type ServicesInput } from '../main.js';
import type { Actor } from '../ports.js';
import { EXIT_USAGE, type CliIo } from './shared.js';
import { progressPrinter } from './progress.js';
import { plural } from '../core/plural.js';

// What every command that works on pipelines starts from: the validated config and env, the
// pipelines selected with --pipeline, and who is asking.

export interface CliContext {
  config: Config;
  env: Env;
  pipelines: PipelineConfig[];
  actor: Actor;
}

/** Loads config and env, selects pipelines; prints problems and returns an exit code on failure. */
export async function loadCliContext(
  opts: { config: string; pipeline?: string },
  io: CliIo,
  source: NodeJS.ProcessEnv,
): Promise<CliContext | number> {
  let config: Config;
  try {
    config = await loadConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${err.file}: ${plural(err.problems.length, 'problem')}`);
    for (const p of err.problems) io.stderr(formatProblem(p));
    return EXIT_USAGE;
  }
  let env: Env;
  try {
    env = loadEnv(source);
  } catch (err) {
    io.stderr((err as Error).message);
    return EXIT_USAGE;
  }
  const pipelines =
    opts.pipeline === undefined ? config.pipelines : config.pipelines.filter((p) => p.id === opts.pipeline);
  if (pipelines.length === 0) {
    io.stderr(
      `error: unknown pipeline "${opts.pipeline}" (configured: ${config.pipelines.map((p) => p.id).join(', ')})`,
    );
    return EXIT_USAGE;
  }
  return { config, env, pipelines, actor: cliActor() };
}

export function cliActor(): Actor {
  let id = 'unknown';
  try {
    id = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it came from.
  }
  return { kind: 'cli', id, via: hostname() };
}

/** Services for one CLI command: a short lease, so a killed run is taken over within seconds. */
export function cliServices(ctx: CliContext, extra: Partial<ServicesInput> = {}): Services {
  const logger = createLogger({ level: ctx.env.LOG_LEVEL });
  const progress = progressPrinter((line) => process.stderr.write(`${line}\n`));
  return createServices({
    config: ctx.config,
    env: ctx.env,
    logger,
    ...(progress ? { progress } : {}),
    jobKinds: ['sync'],
    runner: { leaseMs: 10_000, pollMs: 200 },
    ...extra,
  });
}

/** The one pipeline a command acts on; null (after saying why) when --pipeline is needed. */
export function onePipeline(ctx: CliContext, io: CliIo): PipelineConfig | null {
  if (ctx.pipelines.length === 1) return ctx.pipelines[0] as PipelineConfig;
  io.stderr(`error: several pipelines (${ctx.pipelines.map((p) => p.id).join(', ')}): say which with --pipeline`);
  return null;
}
