import type { BranchSyncConfig } from '../../config/schema.js';
import { AppError, isAppError } from '../../errors.js';
import { conflictsComment, conflictsResolvedComment } from '../../core/branch-sync/branch-sync-text.js';
import { CONFLICT_LABEL } from '../release-sync/sync-pr.js';
import type { BranchSyncDeps, BranchSyncOutcome, BranchSyncResult, BranchSyncRun } from './branch-sync-types.js';
import { look, type Look } from './look.js';
import { analyseMerge, commitMerge, type MergeAnalysis } from './merge-upstream.js';
import { clearConflicts, ensureSyncPull, markConflicts, pullBody } from './sync-pull.js';
import { cardDetected, notifyBranchSync } from './notify.js';
import { attachLedgerToPr, branchSyncLedger } from './branch-sync-ledger.js';

// One branch-sync run: look → (create the sync branch) → merge U → push (fast-forward) → PR.
// Every effect is a named step; `look` is memoized, so a job killed after its push and resumed
// still knows it made the merge (and whether the PR existed) and ends with one commit, one PR.

export async function runBranchSync(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
): Promise<BranchSyncResult> {
  const seen = await run.step('look', () => look(deps.github, deps.git, p));
  const cache = p.fork.repo;
  const u = seen.upstreamSha;
  const base = seen.syncHead ?? seen.target;
  const counts = async (head: string) => ({
    ahead: await deps.git.countCommits(cache, seen.target, head),
    behind: await deps.git.countCommits(cache, head, u),
  });
  const result = (
    outcome: BranchSyncOutcome,
    extra: Partial<BranchSyncResult> & { ahead: number; behind: number },
  ): BranchSyncResult => ({
    pipeline: p.id,
    kind: 'branch-sync',
    outcome,
    upstreamSha: u,
    syncBranchSha: run.dryRun ? seen.syncHead : base,
    pr: seen.pr ? { number: seen.pr.number, url: seen.pr.url } : null,
    conflicts: [],
    dryRun: run.dryRun,
    ...extra,
  });

  const mergeBase = await deps.git.mergeBase(cache, base, u);
  if (!mergeBase && !p.allowUnrelatedHistories) {
    const message = `${p.upstream.repo} ${p.upstream.branch} and ${p.fork.repo} ${seen.syncHead ? p.fork.syncBranch : p.fork.targetBranch} share no history: nothing was merged. Set allowUnrelatedHistories: true on pipeline ${p.id} to merge them anyway.`;
    run.log.warn({ upstreamSha: u, base }, 'unrelated histories refused');
    const refused = result('refused', {
      ...(await counts(base)),
      syncBranchSha: seen.syncHead,
      refused: { reason: 'unrelated-histories', message },
    });
    await notifyBranchSync(deps, p, run, seen, { result: refused, from: null, analysis: null });
    return refused;
  }

  if (!seen.syncHead && !run.dryRun)
    await run.step('create-sync-branch', async () => {
      await deps.git.push(seen.fork, { sha: seen.target, branch: p.fork.syncBranch, expected: null });
      run.log.info({ branch: p.fork.syncBranch, sha: seen.target }, 'sync branch created');
      return seen.target;
    });

  let head = base;
  let analysis: MergeAnalysis | null = null;
  if (!(await deps.git.isAncestor(cache, u, base))) {
    const input = { cache, syncHead: base, upstreamSha: u, mergeBase, prUrl: seen.pr?.url ?? null };
    await cardDetected(deps, p, run, seen, { from: mergeBase, behind: await deps.git.countCommits(cache, base, u) });
    analysis = await analyseMerge(deps, p, run, input);
    if (analysis.waiting.length) return waitForPeople(deps, p, run, seen, analysis, mergeBase);
    const decided = analysis;
    const commit = await run.step(`commit:${u}`, () => commitMerge(deps, p, input, decided));
    if (!run.dryRun) await run.step(`push:${u}`, () => pushMerge(deps, p, seen, commit, base));
    head = commit;
  }
  const merged = head !== base;
  const { ahead, behind } = await counts(head);
  const conflicts = analysis?.conflicts ?? [];
  const syncBranchSha = run.dryRun ? seen.syncHead : head;
  // The PR is (re)written only when something changed: an up-to-date rerun makes no request that mutates.
  if (ahead === 0 || (!merged && seen.pr)) {
    const open = seen.pr;
    // Someone resolved by hand (merged U into the sync branch themselves): the label goes too.
    if (open?.labels.includes(CONFLICT_LABEL) && !run.dryRun)
      await run.step(`conflicts-cleared:${u}`, async () => {
        await deps.github.removeLabel(p.fork.repo, open.number, CONFLICT_LABEL);
        return true;
      });
    const same = result('up-to-date', { ahead, behind, syncBranchSha, conflicts });
    await notifyBranchSync(deps, p, run, seen, { result: same, from: mergeBase, analysis });
    return same;
  }
  const outcome = seen.pr ? 'pr-updated' : 'pr-created';
  if (run.dryRun) return result(outcome, { ahead, behind, syncBranchSha, conflicts });

  const resolved = analysis?.resolved ?? [];
  const ledgers = deps.ledgers;
  // Built once the sync branch is built, like release-sync's: the PR body summarises it.
  const ledger = ledgers
    ? await run.step(`ledger:${u}:${head}`, () =>
        branchSyncLedger({ git: deps.git, ledgers }, p, { seen, head, from: mergeBase }),
      )
    : null;
  const body = [
    await pullBody(deps.git, p, seen, { syncHead: head, resolved }),
    ...(ledger ? ['', ...ledger.section] : []),
  ]
    .join('\n')
    .trimEnd();
  const pr = await run.step(`pull-request:${u}`, () => ensureSyncPull(deps.github, run.log, p, body));
  const ledgerReply = ledgers && ledger ? attachLedgerToPr(ledgers, p, ledger, pr.number) : null;
  if (conflicts.length && pr.labels.includes(CONFLICT_LABEL))
    await run.step(`conflicts-resolved:${u}`, async () => {
      await clearConflicts(
        deps.github,
        p,
        pr,
        conflictsResolvedComment({ upstreamSha: u, commit: head, paths: conflicts }),
      );
      return true;
    });
  const done = result(outcome, { ahead, behind, syncBranchSha, conflicts, pr: { number: pr.number, url: pr.url } });
  await notifyBranchSync(deps, p, run, seen, { result: done, from: mergeBase, analysis, ledger: ledgerReply });
  return done;
}

async function pushMerge(deps: BranchSyncDeps, p: BranchSyncConfig, seen: Look, commit: string, base: string) {
  try {
    await deps.git.push(seen.fork, { sha: commit, branch: p.fork.syncBranch, expected: base });
  } catch (err) {
    // Someone pushed to the sync branch meanwhile: never forced; the next run merges onto their head.
    if (isAppError(err, 'push_rejected'))
      throw new AppError('conflict', `${p.fork.syncBranch} moved during the sync; nothing was forced, run it again`, {
        cause: err,
      });
    throw err;
  }
  return commit;
}

async function waitForPeople(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  seen: Look,
  analysis: MergeAnalysis,
  from: string | null,
): Promise<BranchSyncResult> {
  const u = seen.upstreamSha;
  const base = seen.syncHead ?? seen.target;
  const cache = p.fork.repo;
  const [ahead, behind] = await Promise.all([
    deps.git.countCommits(cache, seen.target, base),
    deps.git.countCommits(cache, base, u),
  ]);
  if (seen.pr && !run.dryRun) {
    const pr = seen.pr;
    const comment = conflictsComment({
      upstreamSha: u,
      syncBranch: p.fork.syncBranch,
      paths: analysis.conflicts,
      waiting: analysis.waiting.length,
    });
    await run.step(`mark-conflicts:${u}`, async () => {
      await markConflicts(deps.github, p, pr, comment);
      return true;
    });
  }
  const done: BranchSyncResult = {
    pipeline: p.id,
    kind: 'branch-sync',
    outcome: 'conflicts',
    upstreamSha: u,
    syncBranchSha: run.dryRun ? seen.syncHead : base,
    ahead,
    behind,
    pr: seen.pr ? { number: seen.pr.number, url: seen.pr.url } : null,
    conflicts: analysis.conflicts,
    dryRun: run.dryRun,
  };
  run.log.info(
    { upstreamSha: u, paths: analysis.conflicts, waiting: analysis.waiting.length },
    'conflicts wait for people',
  );
  await notifyBranchSync(deps, p, run, seen, { result: done, from, analysis });
  return done;
}
