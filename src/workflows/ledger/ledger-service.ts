import type { GitPort } from '../../ports.js';
import type { LedgerRecord, LedgerRecords } from '../../ports/ledger-records.js';
import { evaluateGuards, guardPaths, type FeatureGuard, type GuardResult } from '../../core/ledger/guards.js';
import { ledgerBlock, ledgerBlockReason } from '../../core/ledger/readiness.js';
import { guardsFileFailure, parseGuardsFile } from '../../core/ledger/guards-file.js';
import { buildForkLedger, type LedgerRevs } from './build-ledger.js';

// Builds a sync's ledger and guard results, stores them, and answers "may this PR merge?" from them.

export async function checkGuards(
  git: GitPort,
  repo: string,
  rev: string,
  guards: readonly FeatureGuard[],
): Promise<GuardResult[]> {
  if (guards.length === 0) return [];
  const paths = guardPaths(guards);
  const blobs = await git.readFiles(
    repo,
    paths.map((path) => ({ rev, path })),
  );
  return evaluateGuards(guards, new Map(paths.map((p, i) => [p, blobs[i]?.toString('utf8') ?? null])));
}

async function guardsInFork(
  git: GitPort,
  repo: string,
  rev: string,
  path: string,
): Promise<{ guards: FeatureGuard[]; failures: GuardResult[] }> {
  const blob = await git.readFile(repo, rev, path);
  // No manifest, no guards from it (as CARTO's own check behaves).
  if (!blob) return { guards: [], failures: [] };
  const parsed = parseGuardsFile(blob.toString('utf8'));
  return 'error' in parsed
    ? { guards: [], failures: [guardsFileFailure(path, parsed.error)] }
    : { guards: parsed.guards, failures: [] };
}

export interface RecordLedgerInput {
  pipeline: string;
  tag: string;
  prNumber: number | null;
  repo: string;
  revs: LedgerRevs;
  guards: readonly FeatureGuard[];
  /** More guards in the fork, read at the production head (e.g. `.github/carto-features.yml`). */
  guardsFile?: string | undefined;
  pendingPaths?: readonly string[];
  /** Classify nothing yet (a conflicted sync); the merge gate rebuilds for the resolved head. */
  deferAll?: boolean;
}

export async function recordLedger(
  git: GitPort,
  ledgers: LedgerRecords,
  input: RecordLedgerInput,
): Promise<Omit<LedgerRecord, 'builtAt'>> {
  const fromFile = input.guardsFile
    ? await guardsInFork(git, input.repo, input.revs.production, input.guardsFile)
    : { guards: [], failures: [] };
  const [ledger, checked] = await Promise.all([
    buildForkLedger(git, input.repo, input.revs, {
      pendingPaths: input.pendingPaths ?? [],
      deferAll: input.deferAll ?? false,
    }),
    checkGuards(git, input.repo, input.revs.result, [...input.guards, ...fromFile.guards]),
  ]);
  const guards = [...checked, ...fromFile.failures];
  const record = {
    pipeline: input.pipeline,
    tag: input.tag,
    prNumber: input.prNumber,
    headSha: input.revs.result,
    baseSha: input.revs.base,
    productionSha: input.revs.production,
    upstreamSha: input.revs.upstream,
    counts: ledger.counts,
    entries: ledger.entries,
    pendingPaths: ledger.pendingPaths,
    guards,
  };
  ledgers.save(record);
  return record;
}

/** Why the ledger blocks this PR, or null. Accepted drops no longer block. */
export function ledgerRefusal(
  ledgers: LedgerRecords,
  record: LedgerRecord,
  pr: number,
  /** Paths a configured rule resolves by taking upstream's file: the team decided those drops already. */
  takenByRule: (path: string) => boolean = () => false,
): string | null {
  const accepted = new Set(ledgers.acceptances(record.pipeline, record.tag).map((a) => a.hunkId));
  for (const e of record.entries) if (e.fate === 'dropped' && takenByRule(e.path)) accepted.add(e.id);
  const block = ledgerBlock(record.entries, record.guards, accepted);
  return block ? ledgerBlockReason(block, pr) : null;
}
