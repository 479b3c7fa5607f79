import { addComment, addLabel, emitPull, pullJson } from './pull-ops.js';
import { HttpError, notFound, paginate, str, validationFailed, type Router } from './router.js';
import type { Hub } from './hub.js';

// Issue-side endpoints of pull requests: labels, comments, assignees, requested reviewers.

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field }]);
  return value as string[];
}

export function issueRoutes(router: Router, hub: Hub): void {
  router.add('GET', '/repos/:owner/:repo/issues/:number', (ctx) => {
    const repo = hub.repo(ctx.params);
    return { status: 200, body: hub.shapes.issue(repo, hub.pull(repo, ctx.params.number!)) };
  });

  router.add('GET', '/repos/:owner/:repo/issues/:number/labels', (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const { page, headers } = paginate(pr.labels, ctx);
    return { status: 200, headers, body: page.map((l) => hub.shapes.label(repo, l)) };
  });

  router.add('POST', '/repos/:owner/:repo/issues/:number/labels', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    for (const label of stringList(ctx.body.labels, 'labels')) await addLabel(hub, repo, pr, label, ctx.login);
    return { status: 200, body: pr.labels.map((l) => hub.shapes.label(repo, l)) };
  });

  router.add('DELETE', '/repos/:owner/:repo/issues/:number/labels/:name', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const index = pr.labels.indexOf(ctx.params.name!);
    if (index < 0) throw new HttpError(404, 'Label does not exist');
    pr.labels.splice(index, 1);
    await emitPull(hub, repo, pr, 'unlabeled', ctx.login, { label: hub.shapes.label(repo, ctx.params.name!) });
    return { status: 200, body: pr.labels.map((l) => hub.shapes.label(repo, l)) };
  });

  router.add('POST', '/repos/:owner/:repo/issues/:number/assignees', (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    for (const login of stringList(ctx.body.assignees, 'assignees'))
      if (!pr.assignees.includes(login)) pr.assignees.push(login);
    return { status: 201, body: hub.shapes.issue(repo, pr) };
  });

  router.add('POST', '/repos/:owner/:repo/pulls/:number/requested_reviewers', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const reviewers = ctx.body.reviewers === undefined ? [] : stringList(ctx.body.reviewers, 'reviewers');
    const teams = ctx.body.team_reviewers === undefined ? [] : stringList(ctx.body.team_reviewers, 'team_reviewers');
    if (reviewers.includes(pr.user)) throw validationFailed([], 'Review cannot be requested from pull request author.');
    for (const r of reviewers) if (!pr.requestedReviewers.includes(r)) pr.requestedReviewers.push(r);
    for (const t of teams) if (!pr.requestedTeams.includes(t)) pr.requestedTeams.push(t);
    return { status: 201, body: await pullJson(hub, repo, pr, false) };
  });

  router.add('GET', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const { page, headers } = paginate(
      repo.comments.filter((c) => c.issue === pr.number),
      ctx,
    );
    return { status: 200, headers, body: page.map((c) => hub.shapes.comment(repo, c)) };
  });

  router.add('POST', '/repos/:owner/:repo/issues/:number/comments', (ctx) => {
    const repo = hub.repo(ctx.params);
    const pr = hub.pull(repo, ctx.params.number!);
    const body = str(ctx.body.body);
    if (!body) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
    return { status: 201, body: hub.shapes.comment(repo, addComment(hub, repo, pr, body, ctx.login)) };
  });

  router.add('PATCH', '/repos/:owner/:repo/issues/comments/:id', (ctx) => {
    const repo = hub.repo(ctx.params);
    const comment = repo.comments.find((c) => c.id === Number(ctx.params.id));
    if (!comment) throw notFound();
    const body = str(ctx.body.body);
    if (!body) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
    comment.body = body;
    comment.updatedAt = hub.now();
    return { status: 200, body: hub.shapes.comment(repo, comment) };
  });
}
