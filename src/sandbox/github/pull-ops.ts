import { HttpError } from './router.js';
import { unmetRequiredChecks } from './routes-checks.js';
import type { Hub } from './hub.js';
import type { CommentRecord, MergeMethod, MergeRecord, PullRecord, RepoState } from './state.js';

// Pull request behaviour shared by the REST routes and the test's "person" actions: live head
// tracking (refs/pull/N/head, fetched across forks), mergeability from `git merge-tree`, and
// merging with a compare-and-swap on the base branch.

/** Refreshes refs/pull/N/head from the head branch while the PR is open; returns the head sha. */
export async function refreshHead(hub: Hub, repo: RepoState, pr: PullRecord): Promise<string> {
  if (pr.state !== 'open') return pr.headSha;
  const headRepo = hub.store.get(pr.headRepo);
  const live = headRepo ? await headRepo.git.resolve(`refs/heads/${pr.headRef}`) : null;
  if (!live || !headRepo) return pr.headSha;
  if (live !== pr.headSha || !(await repo.git.resolve(`refs/pull/${pr.number}/head`))) {
    if (headRepo !== repo) {
      await repo.git.run([
        'fetch',
        '--quiet',
        '--no-tags',
        headRepo.path,
        `+refs/heads/${pr.headRef}:refs/pull/${pr.number}/head`,
      ]);
    } else {
      await repo.git.run(['update-ref', `refs/pull/${pr.number}/head`, live]);
    }
    pr.headSha = live;
  }
  return live;
}

export async function baseSha(repo: RepoState, pr: PullRecord): Promise<string> {
  return (await repo.git.resolve(`refs/heads/${pr.baseRef}`)) ?? '';
}

export async function mergeability(
  hub: Hub,
  repo: RepoState,
  pr: PullRecord,
): Promise<{ mergeable: boolean | null; mergeableState: string }> {
  if (pr.state !== 'open') return { mergeable: null, mergeableState: 'unknown' };
  if (pr.unknownMergeableReads > 0) {
    pr.unknownMergeableReads -= 1;
    return { mergeable: null, mergeableState: 'unknown' };
  }
  const head = await refreshHead(hub, repo, pr);
  const base = await baseSha(repo, pr);
  if (!base) return { mergeable: null, mergeableState: 'unknown' };
  const { clean } = await repo.git.mergeTree(base, head);
  if (!clean) return { mergeable: false, mergeableState: 'dirty' };
  if (unmetRequiredChecks(repo, pr.baseRef, head).length) return { mergeable: true, mergeableState: 'blocked' };
  return { mergeable: true, mergeableState: pr.draft ? 'draft' : 'clean' };
}

/** The pull request JSON as GET /pulls/{n} returns it (list endpoints pass withMergeable false). */
export async function pullJson(
  hub: Hub,
  repo: RepoState,
  pr: PullRecord,
  withMergeable: boolean,
): Promise<Record<string, unknown>> {
  const headSha = await refreshHead(hub, repo, pr);
  const live = {
    headSha,
    baseSha: await baseSha(repo, pr),
    ...(withMergeable ? await mergeability(hub, repo, pr) : {}),
  };
  return hub.shapes.pull(repo, pr, hub.store.get(pr.headRepo), live);
}

export async function emitPull(
  hub: Hub,
  repo: RepoState,
  pr: PullRecord,
  action: string,
  sender: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  hub.emit(
    repo,
    'pull_request',
    { action, number: pr.number, pull_request: await pullJson(hub, repo, pr, false), ...extra },
    sender,
  );
}

export interface MergeInput {
  method: MergeMethod;
  by: string;
  sha?: string;
  title?: string;
  message?: string;
}

/** Merges like GitHub: 405 when not mergeable or not open, 409 when `sha` is not the head. */
export async function mergePull(
  hub: Hub,
  repo: RepoState,
  pr: PullRecord,
  input: MergeInput,
): Promise<{ sha: string }> {
  const record: MergeRecord = {
    repo: repo.fullName,
    number: pr.number,
    method: input.method,
    by: input.by,
    sha: null,
    ok: false,
    status: 405,
  };
  hub.merges.push(record);
  if (pr.state !== 'open') throw new HttpError(405, 'Pull Request is not mergeable');
  if (hub.merging.has(pr)) throw new HttpError(405, 'Merge already in progress');
  hub.merging.add(pr);
  try {
    return await mergeLocked(hub, repo, pr, input, record);
  } finally {
    hub.merging.delete(pr);
  }
}

async function mergeLocked(
  hub: Hub,
  repo: RepoState,
  pr: PullRecord,
  input: MergeInput,
  record: MergeRecord,
): Promise<{ sha: string }> {
  const head = await refreshHead(hub, repo, pr);
  if (input.sha && input.sha !== head) {
    record.status = 409;
    throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
  }
  const base = await baseSha(repo, pr);
  const { clean, tree } = await repo.git.mergeTree(base, head);
  if (!clean) throw new HttpError(405, 'Pull Request is not mergeable');
  const unmet = unmetRequiredChecks(repo, pr.baseRef, head);
  if (unmet.length) throw new HttpError(405, `Required status check "${unmet[0]}" is expected.`);
  const title =
    input.title ??
    (input.method === 'merge'
      ? `Merge pull request #${pr.number} from ${pr.headRepo.split('/')[0]}/${pr.headRef}`
      : `${pr.title} (#${pr.number})`);
  const message = `${title}\n\n${input.message ?? (input.method === 'merge' ? pr.title : '')}`.trimEnd() + '\n';
  // Squash and rebase both land as one single-parent commit here: tests only need to see that
  // history was flattened (and the recorded method), not a faithful replay of every commit.
  const parents = input.method === 'merge' ? [base, head] : [base];
  const sha = await repo.git.commitTree(tree, parents, message, { ...hub.identity(input.by), date: hub.now() });
  if (!(await repo.git.updateRef(`refs/heads/${pr.baseRef}`, sha, base))) {
    record.status = 409;
    throw new HttpError(409, 'Base branch was modified. Review and try the merge again.');
  }
  Object.assign(record, { sha, ok: true, status: 200 });
  const now = hub.now();
  Object.assign(pr, {
    state: 'closed',
    merged: true,
    mergedAt: now,
    mergedBy: input.by,
    mergeCommitSha: sha,
    closedAt: now,
    updatedAt: now,
  });
  await emitPull(hub, repo, pr, 'closed', input.by);
  emitPush(hub, repo, `refs/heads/${pr.baseRef}`, base, sha, input.by);
  return { sha };
}

export async function closePull(hub: Hub, repo: RepoState, pr: PullRecord, by: string): Promise<void> {
  if (pr.state === 'closed') return;
  await refreshHead(hub, repo, pr);
  const now = hub.now();
  Object.assign(pr, { state: 'closed', closedAt: now, updatedAt: now });
  await emitPull(hub, repo, pr, 'closed', by);
}

export function emitPush(
  hub: Hub,
  repo: RepoState,
  ref: string,
  before: string | null,
  after: string | null,
  by: string,
): void {
  const zero = '0'.repeat(40);
  hub.emit(
    repo,
    'push',
    {
      ref,
      before: before ?? zero,
      after: after ?? zero,
      created: before === null,
      deleted: after === null,
      forced: false,
      base_ref: null,
      compare: hub.shapes.api(`/${repo.fullName}/compare/${before ?? zero}...${after ?? zero}`),
      commits: [],
      head_commit: after ? { id: after } : null,
      pusher: { name: by, email: hub.identity(by).email },
    },
    by,
  );
}

/** After a push to `repo`: open PRs whose head branch moved get `synchronize`. */
export async function syncPullHeads(hub: Hub, pushed: RepoState, by: string): Promise<void> {
  for (const repo of hub.store.all()) {
    for (const pr of repo.pulls) {
      if (pr.state !== 'open' || pr.headRepo.toLowerCase() !== pushed.fullName.toLowerCase()) continue;
      const before = pr.headSha;
      const after = await refreshHead(hub, repo, pr);
      if (after !== before) {
        pr.updatedAt = hub.now();
        pr.unknownMergeableReads = hub.unknownMergeableReads;
        await emitPull(hub, repo, pr, 'synchronize', by, { before, after });
      }
    }
  }
}

/** Adds a label (no-op when present) and emits `labeled`. */
export async function addLabel(hub: Hub, repo: RepoState, pr: PullRecord, label: string, by: string): Promise<void> {
  if (pr.labels.includes(label)) return;
  pr.labels.push(label);
  await emitPull(hub, repo, pr, 'labeled', by, { label: hub.shapes.label(repo, label) });
}

export function addComment(hub: Hub, repo: RepoState, pr: PullRecord, body: string, by: string): CommentRecord {
  const now = hub.now();
  const comment: CommentRecord = {
    id: hub.store.newId(),
    issue: pr.number,
    body,
    user: by,
    createdAt: now,
    updatedAt: now,
  };
  repo.comments.push(comment);
  hub.emit(
    repo,
    'issue_comment',
    { action: 'created', issue: hub.shapes.issue(repo, pr), comment: hub.shapes.comment(repo, comment) },
    by,
  );
  return comment;
}
