import { emitPush } from './pull-ops.js';
import { bool, notFound, paginate, str, validationFailed, type Router } from './router.js';
import type { Hub } from './hub.js';
import type { ReleaseRecord, RepoState } from './state.js';

// Releases: newest first, drafts visible (the token has push access), creation makes the tag
// when it is missing (at target_commitish), as GitHub does.

export function sortedReleases(repo: RepoState): ReleaseRecord[] {
  return [...repo.releases].sort((a, b) =>
    a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1,
  );
}

export function emitRelease(hub: Hub, repo: RepoState, release: ReleaseRecord, action: string): void {
  hub.emit(repo, 'release', { action, release: hub.shapes.release(repo, release) }, release.author);
}

export function releaseRoutes(router: Router, hub: Hub): void {
  router.add('GET', '/repos/:owner/:repo/releases', (ctx) => {
    const repo = hub.repo(ctx.params);
    const { page, headers } = paginate(sortedReleases(repo), ctx);
    return { status: 200, headers, body: page.map((r) => hub.shapes.release(repo, r)) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/latest', (ctx) => {
    const repo = hub.repo(ctx.params);
    const latest = sortedReleases(repo).find((r) => !r.draft && !r.prerelease);
    if (!latest) throw notFound();
    return { status: 200, body: hub.shapes.release(repo, latest) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/tags/*tag', (ctx) => {
    const repo = hub.repo(ctx.params);
    // Drafts are not attached to their tag until published, so GitHub does not find them here.
    const release = repo.releases.find((r) => r.tag === ctx.params.tag && !r.draft);
    if (!release) throw notFound();
    return { status: 200, body: hub.shapes.release(repo, release) };
  });

  router.add('GET', '/repos/:owner/:repo/releases/:id', (ctx) => {
    const repo = hub.repo(ctx.params);
    const release = repo.releases.find((r) => r.id === Number(ctx.params.id));
    if (!release) throw notFound();
    return { status: 200, body: hub.shapes.release(repo, release) };
  });

  router.add('POST', '/repos/:owner/:repo/releases', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const tag = str(ctx.body.tag_name);
    if (!tag) throw validationFailed([{ resource: 'Release', code: 'missing_field', field: 'tag_name' }]);
    if (repo.releases.some((r) => r.tag === tag))
      throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    const target = str(ctx.body.target_commitish) ?? repo.defaultBranch;
    if (!(await repo.git.refTarget(`refs/tags/${tag}`))) {
      const sha = await repo.git.resolve(target);
      if (!sha) throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
      await repo.git.updateRef(`refs/tags/${tag}`, sha, null);
      emitPush(hub, repo, `refs/tags/${tag}`, null, sha, ctx.login);
    }
    const draft = bool(ctx.body.draft, false);
    const now = hub.now();
    const release: ReleaseRecord = {
      id: hub.store.newId(),
      tag,
      targetCommitish: target,
      name: str(ctx.body.name) ?? null,
      body: str(ctx.body.body) ?? null,
      draft,
      prerelease: bool(ctx.body.prerelease, false),
      createdAt: now,
      publishedAt: draft ? null : now,
      author: ctx.login,
    };
    repo.releases.push(release);
    emitRelease(hub, repo, release, 'created');
    if (!draft) emitRelease(hub, repo, release, 'published');
    return { status: 201, body: hub.shapes.release(repo, release) };
  });

  router.add('PATCH', '/repos/:owner/:repo/releases/:id', (ctx) => {
    const repo = hub.repo(ctx.params);
    const release = repo.releases.find((r) => r.id === Number(ctx.params.id));
    if (!release) throw notFound();
    const wasDraft = release.draft;
    if (str(ctx.body.name) !== undefined) release.name = str(ctx.body.name)!;
    if (str(ctx.body.body) !== undefined) release.body = str(ctx.body.body)!;
    if (str(ctx.body.tag_name) !== undefined) release.tag = str(ctx.body.tag_name)!;
    release.draft = bool(ctx.body.draft, release.draft);
    release.prerelease = bool(ctx.body.prerelease, release.prerelease);
    emitRelease(hub, repo, release, 'edited');
    if (wasDraft && !release.draft) {
      release.publishedAt = hub.now();
      emitRelease(hub, repo, release, 'published');
    }
    return { status: 200, body: hub.shapes.release(repo, release) };
  });
}
