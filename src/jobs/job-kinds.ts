// The spelling of dedupe keys and lock keys, in one place, so that a sync asked for from Slack,
// cron, the CLI and a webhook collapses into one job, and jobs that touch the same pipeline or PR
// never run at once. A job takes `pipelineLock` when it changes any branch, PR or release of the
// pipeline, and adds `prLock` when it works on one PR (a PR may be worked on outside a sync).

export function pipelineLock(pipeline: string): string {
  return `pipeline:${pipeline}`;
}

/** `repo` is "owner/name". */
export function prLock(repo: string, pr: number): string {
  return `pr:${repo}#${pr}`;
}

export function syncKey(pipeline: string): string {
  return `sync:${pipeline}`;
}

export function resolveKey(repo: string, pr: number): string {
  return `resolve:${repo}#${pr}`;
}

export function releaseKey(pipeline: string): string {
  return `release:${pipeline}`;
}

/** Kind, pipeline, dedupe key and locks for the usual jobs: spread into EnqueueInput. */
export const jobIdentity = {
  sync: (pipeline: string) => ({
    kind: 'sync',
    pipeline,
    dedupeKey: syncKey(pipeline),
    locks: [pipelineLock(pipeline)],
  }),
  resolve: (pipeline: string, repo: string, pr: number) => ({
    kind: 'resolve',
    pipeline,
    dedupeKey: resolveKey(repo, pr),
    locks: [pipelineLock(pipeline), prLock(repo, pr)],
  }),
  release: (pipeline: string) => ({
    kind: 'release',
    pipeline,
    dedupeKey: releaseKey(pipeline),
    locks: [pipelineLock(pipeline)],
  }),
} as const;
