import type { FeatureGuard } from '../../core/ledger/guards.js';
import type { GitHubPort, GitPort, PullRequest, SyncCardReader, SyncNotifier } from '../../ports.js';
import type { LedgerRecord, LedgerRecords } from '../../ports/ledger-records.js';
import { recordLedger, ledgerRefusal } from './ledger-service.js';
import { refreshLedger } from './ledger-refresh.js';
import { compileRules } from '../../core/resolve/path-rules.js';
import type { ResolutionRule } from '../../config/schema.js';

// The merge job's last question: does the fork-patch ledger of exactly the head being merged drop
// a fork hunk nobody accepted, or fail a feature guard? The ledger stored at sync time is rebuilt
// when the head moved since (the resolver or a person pushed), so the answer is about what merges;
// a rebuild refreshes the card and its thread (when `notifier` and `cards` are given).

export interface LedgerGateDeps {
  git: GitPort;
  github: GitHubPort;
  ledgers: LedgerRecords;
  notifier?: SyncNotifier;
  cards?: SyncCardReader;
}

/** What the gate needs of a merging pipeline (release-sync, branch-sync). */
export interface LedgerPipeline {
  id: string;
  fork: { repo: string };
  guards?: readonly FeatureGuard[];
  guardsFile?: string | undefined;
  resolution?: { rules: readonly ResolutionRule[]; defaults: boolean };
}

export type LedgerGate = (p: LedgerPipeline, pr: PullRequest) => Promise<string | null>;

/** A path rule that takes upstream's file (build output, by default) is a drop the team asked for. */
export function takenByRuleOf(p: LedgerPipeline): (path: string) => boolean {
  const rules = p.resolution ? compileRules(p.resolution.rules, p.resolution.defaults) : null;
  return (path) => rules?.match(path)?.rule.take === 'upstream';
}

/**
 * The PR's ledger for its current head: the stored one, or rebuilt (and stored) when the head moved
 * or conflicted files were still unclassified. null when no ledger was ever built for the PR.
 */
export async function ledgerAtHead(
  deps: LedgerGateDeps,
  p: LedgerPipeline,
  pr: Pick<PullRequest, 'number' | 'headSha' | 'headRef'>,
): Promise<{ record: Omit<LedgerRecord, 'builtAt'>; rebuilt: boolean } | null> {
  const record = deps.ledgers.latest(p.id, { pr: pr.number });
  // No ledger was built for this PR (opened before ledgers existed): nothing to hold it to.
  if (!record) return null;
  if (record.headSha === pr.headSha && record.pendingPaths.length === 0) return { record, rebuilt: false };
  await deps.git.checkRefName(pr.headRef);
  const info = await deps.github.getRepo(p.fork.repo);
  await deps.git.fetch({ repo: p.fork.repo, cloneUrl: info.cloneUrl }, [
    `+refs/heads/${pr.headRef}:refs/fork/heads/${pr.headRef}`,
  ]);
  const built = await recordLedger(deps.git, deps.ledgers, {
    pipeline: p.id,
    tag: record.tag,
    prNumber: pr.number,
    repo: p.fork.repo,
    revs: {
      base: record.baseSha,
      production: record.productionSha,
      upstream: record.upstreamSha,
      result: pr.headSha,
    },
    guards: p.guards ?? [],
    guardsFile: p.guardsFile,
  });
  return { record: built, rebuilt: true };
}

export function ledgerGate(deps: LedgerGateDeps): LedgerGate {
  return async (p, pr) => {
    const found = await ledgerAtHead(deps, p, pr);
    if (!found) return null;
    const rule = takenByRuleOf(p);
    if (found.rebuilt && deps.notifier && deps.cards)
      return refreshLedger({ ledgers: deps.ledgers, notifier: deps.notifier, cards: deps.cards }, found.record, rule);
    return ledgerRefusal(deps.ledgers, { ...found.record, builtAt: '' }, pr.number, rule);
  };
}

/** The CI watcher's hook: the stored ledger follows the PR's head; a rebuild refreshes card and thread. */
export function ledgerFollower(
  deps: LedgerGateDeps & { notifier: SyncNotifier; cards: SyncCardReader },
): (p: LedgerPipeline | { kind: 'mirror' }, pr: PullRequest) => Promise<void> {
  return async (p, pr) => {
    // A mirror's merge PR carries no fork patches of its own: it has no ledger.
    if (!('fork' in p)) return;
    if (pr.state !== 'open' || pr.merged) return;
    const found = await ledgerAtHead(deps, p, pr);
    if (found?.rebuilt) await refreshLedger(deps, found.record, takenByRuleOf(p));
  };
}
