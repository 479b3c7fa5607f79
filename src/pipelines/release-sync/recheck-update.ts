import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { Config } from '../../config/schema.js';
import type { GitHubPort, GitPort, PullRequest } from '../../ports.js';
import { fetchPull } from '../../workflows/resolve/resolve.js';

// A sync PR that still merges after production moved is brought up to date: production is merged
// into the sync branch (two parents, the sync head first) and pushed as a fast-forward, so CI runs
// on what would land. Said once on the PR, keyed by the production commit. A merge that conflicts
// is left to the caller (the recheck's resolver path).

const marker = (productionSha: string) => `<!-- upstream-sync:production-merged:${productionSha} -->`;

export type UpdateOutcome =
  | { updated: true; head: string; production: string }
  | { updated: false; reason: 'up-to-date' | 'conflicts'; production: string; paths: string[] };

export async function updateSyncBranch(
  deps: { git: GitPort; github: GitHubPort; config: Pick<Config, 'git'> },
  p: ReleaseSyncConfig,
  pr: PullRequest,
): Promise<UpdateOutcome> {
  const { remote, head, production } = await fetchPull(deps, p, pr.headRef);
  const cache = p.fork.repo;
  const note = `Production moved to ${production} while this sync PR was open.`;
  if (await deps.git.isAncestor(cache, production, head)) {
    // Our own merge, pushed by an attempt that died before it said so: report it, so it is said once.
    const [top] = await deps.git.log(cache, null, head, { limit: 1 });
    if (top && top.parents[1] === production && top.body.includes(note)) return { updated: true, head, production };
    return { updated: false, reason: 'up-to-date', production, paths: [] };
  }
  const merge = await deps.git.mergeTree(cache, head, production);
  if (!merge.clean)
    return { updated: false, reason: 'conflicts', production, paths: merge.conflicts.map((c) => c.path) };
  const sha = await deps.git.commitTree(cache, {
    tree: merge.tree,
    parents: [head, production],
    message: `sync: merge ${p.fork.productionBranch} into ${pr.headRef}\n\n${note}`,
    author: deps.config.git.author,
  });
  // Fast-forward only from the head we read: a person's push meanwhile makes this a retried race.
  await deps.git.push(remote, { sha, branch: pr.headRef, expected: head });
  return { updated: true, head: sha, production };
}

/** One comment per production commit, however often the step is retried. */
export async function commentUpdated(
  github: GitHubPort,
  p: ReleaseSyncConfig,
  pr: number,
  outcome: { head: string; production: string },
): Promise<boolean> {
  const tag = marker(outcome.production);
  const bodies = (await github.listComments(p.fork.repo, pr)).map((c) => c.body);
  if (bodies.some((b) => b.includes(tag))) return false;
  await github.createComment(
    p.fork.repo,
    pr,
    `${tag}\n🔄 \`${p.fork.productionBranch}\` moved (now at \`${outcome.production.slice(0, 12)}\`). It merged cleanly into this branch: the new head is \`${outcome.head.slice(0, 12)}\` and CI runs again.`,
  );
  return true;
}
