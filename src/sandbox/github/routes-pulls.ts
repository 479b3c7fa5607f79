import { closePull, emitPull, mergePull, pullJson, refreshHead } from './pull-ops.js';
import { HttpError, bool, paginate, str, validationFailed, type Router } from './router.js';
import type { Hub } from './hub.js';
import type { MergeMethod, PullRecord } from './state.js';

// Pull requests: list/create/get/update/merge, their commits and files.

const MERGE_METHODS: readonly MergeMethod[] = ['merge', 'squash', 'rebase'];

export function pullRoutes(router: Router, hub: Hub): void {
  router.add('GET', '/repos/:owner/:repo/pulls', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const state = ctx.query.get('state') ?? 'open';
    const base = ctx.query.get('base');
    const head = ctx.query.get('head');
    let pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
    if (base) pulls = pulls.filter((p) => p.baseRef === base);
    if (head)
      pulls = pulls.filter((p) => `${p.headRepo.split('/')[0]}:${p.headRef}`.toLowerCase() === head.toLowerCase());
    pulls = ctx.query.get('direction') === 'asc' ? [...pulls] : [...pulls].reverse();
    const { page, headers } = paginate(pulls, ctx);
    const body = [];
    for (const pr of page) body.push(await pullJson(hub, repo, pr, false));
    return { status: 200, headers, body };
  });

  router.add('POST', '/repos/:owner/:repo/pulls', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const title = str(ctx.body.title);
    const headSpec = str(ctx.body.head);
    const baseRef = str(ctx.body.base);
    if (!title) throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }]);
    if (!headSpec) throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'head' }]);
    if (!baseRef) throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'base' }]);
    const [headOwner, headRef] = headSpec.includes(':')
      ? (headSpec.split(':', 2) as [string, string])
      : [repo.owner, headSpec];
    const headRepo =
      headOwner.toLowerCase() === repo.owner.toLowerCase()
        ? repo
        : hub.store.all().find((r) => r.owner.toLowerCase() === headOwner.toLowerCase() && r.name === repo.name);
    const headSha = headRepo ? await headRepo.git.resolve(`refs/heads/${headRef}`) : null;
    if (!headRepo || !headSha) throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'head' }]);
    const baseSha = await repo.git.resolve(`refs/heads/${baseRef}`);
    if (!baseSha) throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'base' }]);
    const existing = repo.pulls.find(
      (p) => p.state === 'open' && p.headRepo === headRepo.fullName && p.headRef === headRef && p.baseRef === baseRef,
    );
    if (existing)
      throw validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${headRepo.owner}:${headRef}.`,
        },
      ]);
    if (headRepo === repo && (await repo.git.isAncestor(headSha, baseSha))) {
      throw validationFailed([
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${baseRef} and ${headRef}` },
      ]);
    }
    const now = hub.now();
    const pr: PullRecord = {
      number: repo.nextIssueNumber++,
      title,
      body: str(ctx.body.body) ?? null,
      state: 'open',
      draft: bool(ctx.body.draft, false),
      headRepo: headRepo.fullName,
      headRef,
      headSha: '',
      baseRef,
      user: ctx.login,
      labels: [],
      assignees: [],
      requestedReviewers: [],
      requestedTeams: [],
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      unknownMergeableReads: hub.unknownMergeableReads,
    };
    repo.pulls.push(pr);
    await refreshHead(hub, repo, pr);
    await emitPull(hub, repo, pr, 'opened', ctx.login);
    // GitHub has not computed mergeability yet when it answers the creation: always null here.
    return { status: 201, body: await pullJson(hub, repo, pr, false) };
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number', async (ctx) => {
    const repo = hub.repo(ctx.params);
    return { status: 200, body: await pullJson(hub, repo, hub.pull(repo, ctx.params.number!), true) };
  });

  router.add('PATCH', '/repos/:owner/:repo/pulls/:number', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    if (str(ctx.body.title) !== undefined) pr.title = str(ctx.body.title)!;
    if (str(ctx.body.body) !== undefined) pr.body = str(ctx.body.body)!;
    if (str(ctx.body.base) !== undefined) pr.baseRef = str(ctx.body.base)!;
    pr.updatedAt = hub.now();
    const state = str(ctx.body.state);
    if (state === 'closed') await closePull(hub, repo, pr, ctx.login);
    else if (state === 'open' && pr.state === 'closed') {
      if (pr.merged)
        throw validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'state cannot be changed. The pull request has been merged.',
          },
        ]);
      Object.assign(pr, { state: 'open', closedAt: null });
      await emitPull(hub, repo, pr, 'reopened', ctx.login);
    } else {
      await emitPull(hub, repo, pr, 'edited', ctx.login);
    }
    return { status: 200, body: await pullJson(hub, repo, pr, true) };
  });

  router.add('PUT', '/repos/:owner/:repo/pulls/:number/merge', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const method = (str(ctx.body.merge_method) ?? 'merge') as MergeMethod;
    if (!MERGE_METHODS.includes(method))
      throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'merge_method' }]);
    const { sha } = await mergePull(hub, repo, pr, {
      method,
      by: ctx.login,
      sha: str(ctx.body.sha),
      title: str(ctx.body.commit_title),
      message: str(ctx.body.commit_message),
    });
    return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number/merge', (ctx) => {
    const pr = hub.pull(hub.repo(ctx.params), ctx.params.number!);
    if (!pr.merged) throw new HttpError(404, 'Not Found');
    return { status: 204 };
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number/commits', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const head = await refreshHead(hub, repo, pr);
    const base = pr.merged && pr.mergeCommitSha ? `${pr.mergeCommitSha}^1` : `refs/heads/${pr.baseRef}`;
    const commits = (await repo.git.log(head, { exclude: base, reverse: true })).slice(0, 250);
    const { page, headers } = paginate(commits, ctx);
    return { status: 200, headers, body: page.map((c) => hub.shapes.commit(repo, c)) };
  });

  router.add('GET', '/repos/:owner/:repo/pulls/:number/files', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const head = await refreshHead(hub, repo, pr);
    const baseRev = pr.merged && pr.mergeCommitSha ? `${pr.mergeCommitSha}^1` : `refs/heads/${pr.baseRef}`;
    const mergeBase = await repo.git.mergeBase(baseRev, head);
    const files = mergeBase ? (await repo.git.diffFiles(mergeBase, head)).slice(0, 3000) : [];
    const { page, headers } = paginate(files, ctx);
    return { status: 200, headers, body: page.map((f) => hub.shapes.file(repo, f, head)) };
  });
}
