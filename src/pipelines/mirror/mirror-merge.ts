import type { MirrorConfig } from '../../config/schema.js';
import { AppError, isAppError } from '../../errors.js';
import { analyseMirrorMerge, commitMirrorMerge, type MirrorMergeAnalysis } from './mirror-merge-analysis.js';
import { mergeCard } from './mirror-merge-notify.js';
import { closeOlderMergePulls, ensureMergePull, findMergePull, mergePullBody } from './mirror-merge-pull.js';
import { mirrorMergeBranch, mirrorMergeTag, type MirrorMergeDeps, type MirrorMergeRun } from './mirror-merge-types.js';
import type { MirrorRemotes } from './mirror-git.js';
import type { MirrorInspection } from './mirror-types.js';

// "Merge into target" (issue 25): the way out of a divergence that keeps the target's commits.
// A branch upstream-sync/mirror-<short S> is made in the target from the target head T, the source
// head S is merged into it (first parent T, second S; conflicts through the resolver layers and
// people in the card's thread), and one PR proposes it to the target branch, which then changes
// only when Approve & merge merges that PR with a merge commit. Nothing is pushed to the target
// branch itself. Every effect is a step named after S, and each looks before it acts: the branch
// and the PR are found on GitHub before they are created.

export interface MirrorMergeOutcome {
  outcome: 'merge-pr' | 'conflicts' | 'refused';
  refused?: { reason: string; message: string };
  mergeBranch: string | null;
  /** The merge commit on the merge branch (null while hunks wait, or on a dry run that would make one). */
  mergeSha: string | null;
  pr: { number: number; url: string } | null;
  /** Paths that conflicted merging the source (decided ones included). */
  conflicts: string[];
}

export async function runMirrorMerge(
  deps: MirrorMergeDeps,
  p: MirrorConfig,
  run: MirrorMergeRun,
  remotes: MirrorRemotes,
  seen: MirrorInspection,
): Promise<MirrorMergeOutcome> {
  const none = { mergeBranch: null, mergeSha: null, pr: null, conflicts: [] };
  if (seen.state !== 'diverged' || seen.targetSha === null)
    return {
      ...none,
      outcome: 'refused',
      refused: {
        reason: 'nothing-to-merge',
        message:
          seen.state === 'fast-forward'
            ? `nothing to merge: the target ${p.target.branch} is behind the source only; a run without --merge fast-forwards it`
            : `nothing to merge: the target ${p.target.branch} is ${seen.state === 'up-to-date' ? 'up to date' : 'ahead of the source (it already has every source commit)'}`,
      },
    };
  const s = seen.sourceSha;
  const t = seen.targetSha;
  const cache = remotes.cache;
  const branch = mirrorMergeBranch(s);
  const branchRef = `refs/upstream-sync/mirror/${p.id}/merge`;
  await deps.git.checkRefName(branch);
  // Where the branch and its PR are now (memoized: a resumed job knows what it found first).
  const look = await run.step(`merge-look:${s}`, async () => {
    const [branchSha, pr] = await Promise.all([
      deps.github.getBranchSha(p.target.repo, branch),
      findMergePull(deps.github, p, branch),
    ]);
    if (branchSha) await deps.git.fetch(remotes.target, [`+refs/heads/${branch}:${branchRef}`], { into: cache });
    return { branchSha, pr: pr ? { number: pr.number, url: pr.htmlUrl } : null };
  });
  if (!look.branchSha && !run.dryRun)
    await run.step(`merge-branch:${s}`, async () => {
      await deps.git.push(remotes.target, { sha: t, branch, expected: null });
      return t;
    });
  const base = look.branchSha ?? t;
  let head = base;
  let analysis: MirrorMergeAnalysis | null = null;
  const mergeBase = await deps.git.mergeBase(cache, base, s);
  const card = mergeCard(deps, p, run, s);
  if (!(await deps.git.isAncestor(cache, s, base))) {
    await card.detected({ targetSha: t, ahead: seen.ahead });
    const input = { cache, branchHead: base, sourceSha: s, mergeBase, branch };
    analysis = await analyseMirrorMerge(deps, p, run, input);
    if (analysis.waiting.length) {
      run.log.info({ sourceSha: s, waiting: analysis.waiting.length }, 'mirror merge waits for people');
      await card.waiting(analysis, look.pr);
      return { ...none, outcome: 'conflicts', mergeBranch: branch, pr: look.pr, conflicts: analysis.conflicts };
    }
    const decided = analysis;
    if (run.dryRun)
      return { ...none, outcome: 'merge-pr', mergeBranch: branch, pr: look.pr, conflicts: decided.conflicts };
    head = await run.step(`merge-commit:${s}`, () => commitMirrorMerge(deps, p, input, decided));
    await run.step(`merge-push:${s}`, () => pushMerge(deps, remotes, branch, head, base));
  }
  const conflicts = analysis?.conflicts ?? [];
  if (run.dryRun) return { ...none, outcome: 'merge-pr', mergeBranch: branch, mergeSha: head, pr: look.pr, conflicts };
  const body = await mergePullBody(deps.git, p, {
    cache,
    targetSha: t,
    sourceSha: s,
    branch,
    resolved: analysis?.resolved ?? [],
  });
  const pr = await run.step(`merge-pull:${s}`, () => ensureMergePull(deps.github, p, { branch, sourceSha: s, body }));
  await card.opened(pr, analysis);
  // The source moved on since an older merge PR was opened: this one takes over from it.
  const closed = await run.step(`merge-supersede:${s}`, () => closeOlderMergePulls(deps, p, { branch, pr }));
  for (const old of closed)
    await card.superseded({ pipeline: p.id, tag: old.branch.slice('upstream-sync/'.length) }, mirrorMergeTag(s));
  return {
    outcome: 'merge-pr',
    mergeBranch: branch,
    mergeSha: head,
    pr: { number: pr.number, url: pr.url },
    conflicts,
  };
}

async function pushMerge(
  deps: MirrorMergeDeps,
  remotes: MirrorRemotes,
  branch: string,
  commit: string,
  base: string,
): Promise<string> {
  try {
    await deps.git.push(remotes.target, { sha: commit, branch, expected: base });
  } catch (err) {
    // Someone pushed to the merge branch meanwhile: never forced; the next run merges onto their head.
    if (isAppError(err, 'push_rejected'))
      throw new AppError('conflict', `${branch} moved during the merge; nothing was forced, run it again`, {
        cause: err,
      });
    throw err;
  }
  return commit;
}
