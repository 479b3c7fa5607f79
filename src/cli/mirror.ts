import type { Command } from 'commander';
import type { MirrorConfig } from '../config/schema.js';
import { errorMessage, isAppError } from '../errors.js';
import {
  pruneBackups,
  rollbackMirror,
  type PruneResult,
  type RollbackResult,
} from '../pipelines/mirror/mirror-rollback.js';
import { scrub } from '../redact.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync mirror rollback|prune-backups` (issue 25): the target branch back to a backup
// (with a lease, keeping what it replaces), and the explicit removal of old backups.

interface MirrorCommandOptions {
  config: string;
  pipeline?: string;
  to?: string;
  olderThan?: string;
  dryRun?: boolean;
  json?: boolean;
}

async function mirrorPipeline(opts: MirrorCommandOptions, io: CliIo, source: NodeJS.ProcessEnv) {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const mirrors = ctx.pipelines.filter((p): p is MirrorConfig => p.kind === 'mirror');
  if (mirrors.length !== 1 || ctx.pipelines.length !== 1) {
    io.stderr('error: say which mirror pipeline with --pipeline');
    return EXIT_USAGE;
  }
  return { ctx, pipeline: mirrors[0] as MirrorConfig };
}

export async function rollbackCommand(
  opts: MirrorCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const found = await mirrorPipeline(opts, io, source);
  if (typeof found === 'number') return found;
  const { ctx, pipeline } = found;
  const dryRun = Boolean(opts.dryRun);
  const services = cliServices(ctx, { dryRun, jobKinds: [] });
  let result: RollbackResult;
  try {
    result = await rollbackMirror(
      { git: services.git, github: services.github, audit: services.store.audit, now: () => services.clock.now() },
      { pipeline, ...(opts.to === undefined ? {} : { to: opts.to }), dryRun, requestedBy: ctx.actor },
    );
  } catch (err) {
    if (isAppError(err, 'usage')) {
      io.stderr(`error: ${err.message}`);
      return EXIT_USAGE;
    }
    result = {
      pipeline: pipeline.id,
      kind: 'mirror',
      action: 'rollback',
      outcome: 'failed',
      to: opts.to ?? null,
      toSha: null,
      targetSha: null,
      targetShaAfter: null,
      backupRef: null,
      dryRun,
      error: { code: isAppError(err) ? err.code : 'internal', message: scrub(errorMessage(err)) },
    };
  } finally {
    await services.close();
  }
  if (opts.json) io.stdout(JSON.stringify(result));
  else
    io.stdout(
      [
        `${result.pipeline}: rollback ${result.outcome}${dryRun ? ' (dry run)' : ''}`,
        result.to ? `to ${result.to} (${result.toSha?.slice(0, 12) ?? '?'})` : null,
        result.backupRef ? `replaced head kept as ${result.backupRef}` : null,
        result.refused?.message ?? null,
        result.error ? `error ${result.error.code}: ${result.error.message}` : null,
      ]
        .filter(Boolean)
        .join('; '),
    );
  return result.outcome === 'failed' ? EXIT_FAILED : EXIT_OK;
}

export async function pruneBackupsCommand(
  opts: MirrorCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const asked = opts.olderThan === undefined ? null : Number(opts.olderThan);
  if (asked !== null && (!Number.isInteger(asked) || asked < 1)) {
    io.stderr(`error: --older-than takes a whole number of days (at least 1), not ${JSON.stringify(opts.olderThan)}`);
    return EXIT_USAGE;
  }
  const found = await mirrorPipeline(opts, io, source);
  if (typeof found === 'number') return found;
  const { ctx, pipeline } = found;
  // Without --older-than: the pipeline's configured retention (backups.retentionDays, default 90).
  const days = asked ?? pipeline.backups.retentionDays;
  const dryRun = Boolean(opts.dryRun);
  const services = cliServices(ctx, { dryRun, jobKinds: [] });
  let result: PruneResult;
  try {
    result = await pruneBackups(
      { github: services.github, audit: services.store.audit, now: () => services.clock.now() },
      { pipeline, olderThanDays: days, dryRun, requestedBy: ctx.actor },
    );
  } catch (err) {
    io.stderr(`error: ${scrub(errorMessage(err))}`);
    return EXIT_FAILED;
  } finally {
    await services.close();
  }
  if (opts.json) io.stdout(JSON.stringify(result));
  else
    io.stdout(
      `${result.pipeline}: ${dryRun ? 'would prune' : 'pruned'} ${result.pruned.length} backups older than ${days} days${result.pruned.length ? `: ${result.pruned.join(', ')}` : ''}; ${result.kept} kept`,
    );
  return EXIT_OK;
}

export function registerMirrorCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const mirror = program.command('mirror').description('mirror pipelines: roll back a force, prune old backups');
  withConfig(mirror.command('rollback').description('restore the target branch to a backup, with a lease'))
    .requiredOption('-p, --pipeline <id>', 'the mirror pipeline')
    .option('--to <ref>', 'the backup ref to restore (default: the newest backup)')
    .option('--dry-run', 'say what would happen; nothing changed')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: MirrorCommandOptions) => setExit(await rollbackCommand(opts, io)));
  withConfig(mirror.command('prune-backups').description('delete backups of the target branch older than N days'))
    .requiredOption('-p, --pipeline <id>', 'the mirror pipeline')
    .option('--older-than <days>', "age in days (default: the pipeline's backups.retentionDays, 90 unless configured)")
    .option('--dry-run', 'list what would be deleted; nothing changed')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: MirrorCommandOptions) => setExit(await pruneBackupsCommand(opts, io)));
}
