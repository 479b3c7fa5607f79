// What a branch-sync pipeline writes for people: the PR body (the upstream commits the sync branch
// brings into the target), the merge commit's message and the one comment naming conflicted paths.
// Pure text builders: every figure comes from git, nothing is prose about a flow that may change.

export const BRANCH_SYNC_PR_MARKER = '<!-- upstream-sync:branch-sync -->';
export const BRANCH_SYNC_CONFLICTS_MARKER = '<!-- upstream-sync:branch-sync:conflicts -->';

/** Commit subjects listed in the body at most; the count and the compare link cover the rest. */
export const MAX_LISTED_COMMITS = 50;

export interface UpstreamCommitLine {
  sha: string;
  subject: string;
}

export interface BranchSyncBodyInput {
  pipeline: string;
  upstreamRepo: string;
  upstreamBranch: string;
  upstreamSha: string;
  forkRepo: string;
  syncBranch: string;
  targetBranch: string;
  /** Upstream commits in the sync branch that the target branch lacks. */
  count: number;
  /** Newest first, at most MAX_LISTED_COMMITS. */
  commits: readonly UpstreamCommitLine[];
  compareUrl: string;
  /** Paths that conflicted in the merges of this run and how they were decided. */
  resolved: ReadonlyArray<{ path: string; how: string }>;
}

const short = (sha: string) => sha.slice(0, 12);
/** Keeps a commit subject from breaking the markdown list (or pinging people). */
const line = (text: string) =>
  text
    .replace(/[\r\n]+/g, ' ')
    .replace(/@/g, '@\u200b')
    .slice(0, 200);

export function renderBranchSyncBody(input: BranchSyncBodyInput): string {
  const s = input.count === 1 ? '' : 's';
  const out = [
    BRANCH_SYNC_PR_MARKER,
    `Merges \`${input.upstreamRepo}\` \`${input.upstreamBranch}\` (up to ${short(input.upstreamSha)}) into \`${input.targetBranch}\` through \`${input.syncBranch}\`.`,
    '',
    `**${input.count} upstream commit${s}** not yet in \`${input.targetBranch}\` — [compare](${input.compareUrl})`,
    '',
    ...input.commits.map((c) => `- ${short(c.sha)} ${line(c.subject)}`),
  ];
  if (input.count > input.commits.length) out.push(`- … and ${input.count - input.commits.length} more`);
  if (input.resolved.length) {
    out.push('', '**Conflicts resolved**', '');
    for (const r of input.resolved) out.push(`- \`${r.path}\`: ${line(r.how)}`);
  }
  out.push(
    '',
    `The bot only ever adds merge commits to \`${input.syncBranch}\` (never a force push). Merge this PR with a merge commit, not squash or rebase, so that the next sync finds upstream's history in \`${input.targetBranch}\`.`,
    '',
    `_pipeline \`${input.pipeline}\`_`,
  );
  return out.join('\n');
}

export function branchSyncMergeMessage(input: {
  upstreamRepo: string;
  upstreamBranch: string;
  upstreamSha: string;
  syncBranch: string;
  resolved: ReadonlyArray<{ path: string; how: string }>;
}): string {
  const title = `Merge ${input.upstreamRepo} ${input.upstreamBranch} (${short(input.upstreamSha)}) into ${input.syncBranch}`;
  if (!input.resolved.length) return `${title}\n`;
  const lines = input.resolved.map((r) => `- ${r.path}: ${line(r.how)}`);
  return `${title}\n\nConflicts resolved:\n${lines.join('\n')}\n`;
}

export function conflictsComment(input: {
  upstreamSha: string;
  syncBranch: string;
  paths: readonly string[];
  waiting: number;
}): string {
  const paths = input.paths.map((p) => `- \`${p.replace(/`/g, "'")}\``).join('\n');
  const h = input.waiting === 1 ? '' : 's';
  return [
    BRANCH_SYNC_CONFLICTS_MARKER,
    `Merging upstream ${short(input.upstreamSha)} into \`${input.syncBranch}\` conflicts in ${input.paths.length} path${input.paths.length === 1 ? '' : 's'}:`,
    '',
    paths,
    '',
    `${input.waiting} hunk${h} wait for a person (Slack thread of this pipeline). \`${input.syncBranch}\` does not move until every hunk is decided; nothing with conflict markers is pushed.`,
  ].join('\n');
}

export function conflictsResolvedComment(input: {
  upstreamSha: string;
  commit: string;
  paths: readonly string[];
}): string {
  return [
    BRANCH_SYNC_CONFLICTS_MARKER,
    `Conflicts merging upstream ${short(input.upstreamSha)} are resolved (${input.paths.map((p) => `\`${p.replace(/`/g, "'")}\``).join(', ')}): merge commit ${short(input.commit)} is pushed.`,
  ].join('\n');
}
