import { AppError } from '../../errors.js';
import type { GitHubPort, GitPort } from '../../ports.js';
import { CI_FIX_TRAILER } from './fix-ci-report.js';

// The fix goes onto the sync branch as a fast-forward from the red head, never forced. A run killed
// after its push and before its record is found by the commit's trailer: the restarted job adopts
// that commit instead of pushing a second one for the same head.

export type PushVerdict = { outcome: 'pushed' | 'found'; sha: string } | { outcome: 'moved'; head: string | null };

export async function pushFix(
  deps: { git: GitPort; github: Pick<GitHubPort, 'getRepo' | 'getBranchSha'> },
  input: { repo: string; headRef: string; headSha: string; commitSha: string; trailer: string },
): Promise<PushVerdict> {
  const { git, github } = deps;
  const { repo, headRef, headSha } = input;
  const info = await github.getRepo(repo);
  const remote = { repo, cloneUrl: info.cloneUrl };
  await git.checkRefName(headRef);
  const local = `refs/fork/heads/${headRef}`;
  await git.fetch(remote, [`+refs/heads/${headRef}:${local}`]);
  const head = await git.resolve(repo, local);
  if (head !== headSha) {
    if (head && head !== input.commitSha && (await git.isAncestor(repo, headSha, head))) {
      const commits = await git.log(repo, headSha, head, { limit: 100 });
      const ours = commits.find((c) => c.body.includes(`${CI_FIX_TRAILER}: ${input.trailer}`));
      if (ours) return { outcome: 'found', sha: ours.sha };
    }
    if (head === input.commitSha) return { outcome: 'found', sha: head };
    return { outcome: 'moved', head };
  }
  await git.push(remote, { sha: input.commitSha, branch: headRef, expected: headSha });
  // GitHub's view, not the cache's: the branch must show the fix before the attempt is recorded.
  const now = await github.getBranchSha(repo, headRef);
  if (now !== input.commitSha)
    throw new AppError('unavailable', `${headRef} is at ${now ?? 'nothing'} after pushing ${input.commitSha}`, {
      transient: true,
    });
  return { outcome: 'pushed', sha: input.commitSha };
}
