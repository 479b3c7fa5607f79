import type { ReleaseCommit, ReleasePull } from '../../../src/core/release/release-changes.js';

// Builders for release-change tests: short readable histories, newest first like git log.

let counter = 0;

export function sha(label: string): string {
  return Buffer.from(label).toString('hex').padEnd(40, '0').slice(0, 40);
}

export function commit(subject: string, options: Partial<ReleaseCommit> & { label?: string } = {}): ReleaseCommit {
  counter += 1;
  return {
    sha: options.sha ?? sha(options.label ?? `c${counter}`),
    parents: options.parents ?? [sha(`p${counter}`)],
    subject,
    body: options.body ?? '',
    authorName: options.authorName ?? 'Ana Dev',
    authorEmail: options.authorEmail ?? 'ana@carto.com',
  };
}

export function pull(number: number, title: string, options: Partial<ReleasePull> = {}): ReleasePull {
  return {
    number,
    title,
    htmlUrl: `https://github.com/CartoDB/litellm/pull/${number}`,
    labels: options.labels ?? [],
    user: options.user ?? 'ana',
    headRef: options.headRef ?? `feature/${number}`,
    mergeCommitSha: options.mergeCommitSha ?? null,
    ...(options.commitShas ? { commitShas: options.commitShas } : {}),
  };
}

/** Newest first, as git log lists them. */
export function newestFirst(...chronological: ReleaseCommit[]): ReleaseCommit[] {
  return [...chronological].reverse();
}
