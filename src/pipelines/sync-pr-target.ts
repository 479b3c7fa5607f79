import type { BranchSyncConfig, MirrorConfig, ReleaseSyncConfig } from '../config/schema.js';

// Kinds whose runs end in a PR with a card, watched by CI and merged by Approve & merge:
// release-sync (into production), branch-sync (into its target branch), mirror (a merge into
// target, issue 25). Where that PR lives, for the parts shared by all three.

export type PrPipeline = ReleaseSyncConfig | BranchSyncConfig | MirrorConfig;

/** The repository the PR is in ("owner/name"). */
export function prRepo(p: PrPipeline): string {
  return p.kind === 'mirror' ? p.target.repo : p.fork.repo;
}

/** The branch the PR merges into. */
export function prBase(p: PrPipeline): string {
  if (p.kind === 'mirror') return p.target.branch;
  return p.kind === 'branch-sync' ? p.fork.targetBranch : p.fork.productionBranch;
}

/** The label kept on the PR while it is ready; undefined: none. */
export function prReadyLabel(p: PrPipeline): string | undefined {
  return p.kind === 'mirror' ? p.merge.readyLabel : p.pr.readyLabel;
}

/** What job input builders need (JobPipeline): the id and the PR's repository. */
export function jobPipelineOf(p: PrPipeline): { id: string; fork: { repo: string } } {
  return { id: p.id, fork: { repo: prRepo(p) } };
}
