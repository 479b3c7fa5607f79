import type { Command } from 'commander';
import type { AuditEntry } from '../ports.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync audit`: who did what, when, and how it ended, newest first, refusals included.
// Read-only: the audit log is append-only and only the retention prune removes rows.

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30m", "12h", "7d", "2w" → milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

function actorText(e: AuditEntry): string {
  return `${e.actor.kind}:${e.actor.id}${e.actor.via ? ` (via ${e.actor.via})` : ''}`;
}

export function describeAuditEntry(e: AuditEntry): string {
  const reason = e.outcome === 'refused' || e.outcome === 'failed' ? e.details?.reason : undefined;
  return [
    e.at,
    e.pipeline ?? '-',
    actorText(e),
    e.action,
    e.target ?? '-',
    e.outcome + (typeof reason === 'string' ? `: ${reason}` : ''),
  ].join('  ');
}

export interface AuditOptions {
  config: string;
  pipeline?: string;
  since?: string;
  actor?: string;
  limit?: string;
  json?: boolean;
}

export async function auditCommand(
  opts: AuditOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const sinceMs = opts.since === undefined ? null : parseDuration(opts.since);
  if (opts.since !== undefined && sinceMs === null) {
    io.stderr(`error: --since ${JSON.stringify(opts.since)} is not a duration (e.g. 30m, 12h, 7d, 2w)`);
    return EXIT_USAGE;
  }
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    io.stderr(`error: --limit ${JSON.stringify(opts.limit)} must be a whole number from 1 to 10000`);
    return EXIT_USAGE;
  }
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const services = cliServices(ctx, { jobKinds: [] });
  try {
    const since = sinceMs === null ? undefined : new Date(services.clock.now().getTime() - sinceMs).toISOString();
    const entries = services.store.audit.list({
      ...(opts.pipeline === undefined ? {} : { pipeline: opts.pipeline }),
      ...(opts.actor === undefined ? {} : { actor: opts.actor }),
      ...(since === undefined ? {} : { since }),
      limit,
    });
    if (opts.json) for (const e of entries) io.stdout(JSON.stringify(e));
    else if (entries.length === 0) io.stderr('no audit entries match');
    else for (const e of entries) io.stdout(describeAuditEntry(e));
    return EXIT_OK;
  } finally {
    await services.close();
  }
}

export function registerAuditCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(program.command('audit').description('show the audit log: who did what, when, outcome (newest first)'))
    .option('-p, --pipeline <id>', 'only this pipeline')
    .option('--since <duration>', 'only entries this recent, e.g. 30m, 12h, 7d, 2w')
    .option('--actor <id>', 'only entries by this actor id (Slack user id, CLI user, cron pipeline)')
    .option('--limit <n>', 'at most this many entries (default 50)')
    .option('--json', 'one JSON object per entry per line on stdout')
    .action(async (opts: AuditOptions) => setExit(await auditCommand(opts, io)));
}
