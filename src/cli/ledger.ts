import type { Command } from 'commander';
import { ledgerText } from '../core/ledger/ledger-text.js';
import { acceptDrop } from '../workflows/ledger/accept-drop.js';
import { takenByRuleOf } from '../workflows/ledger/ledger-gate.js';
import { refreshLedger } from '../workflows/ledger/ledger-refresh.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync ledger [--pipeline ID] [--pr N] [--json]`: the fork-patch ledger of the open sync
// (the newest one) or of a PR. `ledger accept --pr N --hunk ID`: accept one dropped hunk (audited).

interface LedgerOpts {
  config: string;
  pipeline?: string;
  pr?: string;
  json?: boolean;
}

function prNumber(value: string | undefined, io: CliIo): number | null | 'bad' {
  if (value === undefined) return null;
  if (!/^[1-9]\d{0,9}$/.test(value)) {
    io.stderr(`error: --pr must be a pull request number, got ${JSON.stringify(value)}`);
    return 'bad';
  }
  return Number(value);
}

export async function ledgerCommand(opts: LedgerOpts, io: CliIo, source = process.env): Promise<number> {
  const pr = prNumber(opts.pr, io);
  if (pr === 'bad') return EXIT_USAGE;
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const services = cliServices(ctx, { jobKinds: [] });
  try {
    const records = ctx.pipelines
      .map((p) => services.ledgers.latest(p.id, pr === null ? {} : { pr }))
      .filter((r) => r !== null)
      .sort((a, b) => b.builtAt.localeCompare(a.builtAt));
    const record = records[0];
    if (!record) {
      io.stderr(`no fork-patch ledger recorded${pr === null ? '' : ` for PR #${pr}`}`);
      return EXIT_FAILED;
    }
    const accepted = new Set(services.ledgers.acceptances(record.pipeline, record.tag).map((a) => a.hunkId));
    if (opts.json) io.stdout(JSON.stringify({ ...record, accepted: [...accepted] }));
    else for (const line of ledgerText(record, accepted, services.clock.now())) io.stdout(line);
    return EXIT_OK;
  } finally {
    await services.close();
  }
}

export async function ledgerAcceptCommand(
  opts: LedgerOpts & { hunk?: string },
  io: CliIo,
  source = process.env,
): Promise<number> {
  const pr = prNumber(opts.pr, io);
  if (pr === 'bad') return EXIT_USAGE;
  if (pr === null || !opts.hunk) {
    io.stderr('error: ledger accept needs --pr N and --hunk ID');
    return EXIT_USAGE;
  }
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const services = cliServices(ctx, { jobKinds: [] });
  try {
    const result = acceptDrop(
      { ledgers: services.ledgers, audit: services.store.audit },
      { pipeline: opts.pipeline ?? null, forkRepo: null, pr, hunkId: opts.hunk, actor: ctx.actor },
    );
    // The card and its thread say so too (recorded for the bot's outbox when Slack is configured).
    if (result.accepted) await refreshAccepted(services, result.pipeline, pr);
    if (opts.json) io.stdout(JSON.stringify(result));
    else if (result.accepted) io.stdout(`accepted the drop of ${result.hunkId} (${result.pipeline} ${result.tag})`);
    else io.stderr(`refused: ${result.refused.message}`);
    return result.accepted ? EXIT_OK : EXIT_FAILED;
  } finally {
    await services.close();
  }
}

async function refreshAccepted(services: ReturnType<typeof cliServices>, pipeline: string, pr: number): Promise<void> {
  const record = services.ledgers.latest(pipeline, { pr });
  const p = services.config.pipelines.find((x) => x.id === pipeline);
  if (!record || !p || (p.kind !== 'release-sync' && p.kind !== 'branch-sync')) return;
  await refreshLedger(
    { ledgers: services.ledgers, notifier: services.notifier, cards: services.store.syncCards },
    record,
    takenByRuleOf(p),
  );
}

export function registerLedgerCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const ledger = withConfig(
    program.command('ledger').description("the fork-patch ledger: what a sync did to each of the fork's changes"),
  )
    .option('-p, --pipeline <id>', 'only this pipeline')
    .option('--pr <number>', 'the ledger of this sync PR (default: the newest sync)')
    .option('--json', 'print the ledger as JSON on stdout')
    .action(async (opts: LedgerOpts) => setExit(await ledgerCommand(opts, io)));
  withConfig(
    ledger.command('accept').description('accept one dropped fork hunk so it no longer blocks Approve & merge'),
  )
    .option('-p, --pipeline <id>', 'the pipeline (default: the one whose ledger has the PR)')
    .requiredOption('--pr <number>', 'the sync PR')
    .requiredOption('--hunk <id>', 'the hunk id, as `ledger` prints it')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (opts: LedgerOpts & { hunk?: string }) => setExit(await ledgerAcceptCommand(opts, io)));
}
