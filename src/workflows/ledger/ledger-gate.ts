import type { FeatureGuard } from '../../core/ledger/guards.js';
import type { GitHubPort, GitPort, PullRequest } from '../../ports.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import { recordLedger, ledgerRefusal } from './ledger-service.js';
import { compileRules } from '../../core/resolve/path-rules.js';
import type { ResolutionRule } from '../../config/schema.js';

// The merge job's last question: does the fork-patch ledger of exactly the head being merged drop
// a fork hunk nobody accepted, or fail a feature guard? The ledger stored at sync time is rebuilt
// when the head moved since (the resolver or a person pushed), so the answer is about what merges.

export interface LedgerGateDeps {
  git: GitPort;
  github: GitHubPort;
  ledgers: LedgerRecords;
}

/** What the gate needs of a merging pipeline (release-sync; branch-sync has no guards yet). */
export interface LedgerPipeline {
  id: string;
  fork: { repo: string };
  guards?: readonly FeatureGuard[];
  guardsFile?: string | undefined;
  resolution?: { rules: readonly ResolutionRule[]; defaults: boolean };
}

export type LedgerGate = (p: LedgerPipeline, pr: PullRequest) => Promise<string | null>;

export function ledgerGate(deps: LedgerGateDeps): LedgerGate {
  return async (p, pr) => {
    let record = deps.ledgers.latest(p.id, { pr: pr.number });
    // No ledger was built for this PR (opened before ledgers existed): nothing to hold it to.
    if (!record) return null;
    if (record.headSha !== pr.headSha || record.pendingPaths.length > 0) {
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
      record = { ...built, builtAt: '' };
    }
    // A path rule that takes upstream's file (build output, by default) is a drop the team asked for.
    const rules = p.resolution ? compileRules(p.resolution.rules, p.resolution.defaults) : null;
    return ledgerRefusal(deps.ledgers, record, pr.number, (path) => rules?.match(path)?.rule.take === 'upstream');
  };
}
