import type { MirrorConfig } from '../../config/schema.js';
import type { GitHubPort, GitPort, PullRequest } from '../../ports.js';
import { MIRROR_MERGE_BRANCH_PREFIX } from './mirror-merge-types.js';

// The one merge PR of a source head: from its merge branch into the target branch. Found by head
// and base, so a resumed or repeated run finds the PR it (or a person) opened instead of a second.

export async function findMergePull(github: GitHubPort, p: MirrorConfig, branch: string): Promise<PullRequest | null> {
  const open = await github.listPulls(p.target.repo, { state: 'open', base: p.target.branch });
  const repo = p.target.repo.toLowerCase();
  return open.find((pr) => pr.headRef === branch && pr.headRepo?.toLowerCase() === repo) ?? null;
}

export async function mergePullBody(
  git: GitPort,
  p: MirrorConfig,
  input: {
    cache: string;
    targetSha: string;
    sourceSha: string;
    branch: string;
    resolved: ReadonlyArray<{ path: string; how: string }>;
  },
): Promise<string> {
  const [count, commits] = await Promise.all([
    git.countCommits(input.cache, input.targetSha, input.sourceSha),
    git.log(input.cache, input.targetSha, input.sourceSha, { limit: 30 }),
  ]);
  const clean = (t: string) => t.replace(/[\r\n]+/g, ' ').replace(/`/g, "'");
  const lines = [
    `Merges \`${p.source.repo}\` \`${p.source.branch}\` at ${input.sourceSha.slice(0, 12)} into \`${p.target.branch}\` (pipeline \`${p.id}\`), keeping the target's own commits: the target is the first parent of the merge.`,
    '',
    `The mirror had diverged: this PR is the way out that loses nothing (instead of a force). Merge it with a merge commit (never squash or rebase).`,
    '',
    `### Source commits (${count})`,
    ...commits.map((c) => `- ${c.sha.slice(0, 7)} ${clean(c.subject)}`),
    ...(count > commits.length ? [`- …and ${count - commits.length} more`] : []),
  ];
  if (input.resolved.length)
    lines.push('', '### Conflicts resolved', ...input.resolved.map((r) => `- \`${clean(r.path)}\`: ${clean(r.how)}`));
  return `${lines.join('\n')}\n`;
}

/** Opens the PR when there is none (then labels), or rewrites the body of the open one. */
export async function ensureMergePull(
  github: GitHubPort,
  p: MirrorConfig,
  input: { branch: string; sourceSha: string; body: string },
): Promise<{ number: number; url: string; title: string; created: boolean }> {
  let pr = await findMergePull(github, p, input.branch);
  const created = pr === null;
  if (!pr)
    pr = await github.createPull(p.target.repo, {
      title: `${p.merge.title} (${input.sourceSha.slice(0, 7)})`,
      head: input.branch,
      base: p.target.branch,
      body: input.body,
    });
  else if (pr.body !== input.body) pr = await github.updatePull(p.target.repo, pr.number, { body: input.body });
  const labels = p.merge.labels.filter((l) => !pr.labels.includes(l));
  if (labels.length) await github.addLabels(p.target.repo, pr.number, labels);
  return { number: pr.number, url: pr.htmlUrl, title: pr.title, created };
}

/**
 * Older merge PRs of this mirror (the source moved on since): closed with a comment naming the new
 * one, recorded first as the bot's own closure (the CI watcher then leaves their cards alone).
 * Their branches are kept: a person may have pushed to one. Returns the closed PRs' branches.
 */
export async function closeOlderMergePulls(
  deps: { github: GitHubPort; closures?: { recordBotClosed(p: string, repo: string, n: number, tag: string): void } },
  p: MirrorConfig,
  input: { branch: string; pr: { number: number; url: string } },
): Promise<Array<{ number: number; branch: string }>> {
  const open = await deps.github.listPulls(p.target.repo, { state: 'open', base: p.target.branch });
  const older = open.filter(
    (pr) =>
      pr.headRef.startsWith(MIRROR_MERGE_BRANCH_PREFIX) && pr.headRepo === p.target.repo && pr.headRef !== input.branch,
  );
  for (const pr of older) {
    deps.closures?.recordBotClosed(p.id, p.target.repo, pr.number, pr.headRef.slice('upstream-sync/'.length));
    await deps.github.createComment(
      p.target.repo,
      pr.number,
      `Superseded by #${input.pr.number} (${input.pr.url}), which merges the newer source head. The branch \`${pr.headRef}\` is kept.`,
    );
    await deps.github.updatePull(p.target.repo, pr.number, { state: 'closed' });
  }
  return older.map((pr) => ({ number: pr.number, branch: pr.headRef }));
}
