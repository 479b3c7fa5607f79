import { HttpError, notFound, paginate, type Router } from './router.js';
import type { Hub } from './hub.js';
import type { RepoState } from './state.js';

// File contents, commit lists and comparisons, answered by git from the bare repository.

async function resolveOr404(
  repo: RepoState,
  rev: string,
  message = 'No commit found for SHA: ' + rev,
): Promise<string> {
  const sha = await repo.git.resolve(rev);
  if (!sha) throw new HttpError(404, message);
  return sha;
}

export function commitRoutes(router: Router, hub: Hub): void {
  router.add('GET', '/repos/:owner/:repo/contents/*path', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = ctx.query.get('ref') ?? repo.defaultBranch;
    const sha = await resolveOr404(repo, ref, `No commit found for the ref ${ref}`);
    const path = ctx.params.path!;
    const entry = await repo.git.readPath(sha, path);
    if (!entry) throw notFound();
    const links = (p: string, objSha: string, type: string) => {
      const self = hub.shapes.api(`/repos/${repo.fullName}/contents/${p}?ref=${encodeURIComponent(ref)}`);
      const git = hub.shapes.api(`/repos/${repo.fullName}/git/${type === 'tree' ? 'trees' : 'blobs'}/${objSha}`);
      const html = hub.shapes.api(`/${repo.fullName}/${type === 'tree' ? 'tree' : 'blob'}/${ref}/${p}`);
      return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
    };
    if (entry.type === 'tree') {
      const body = entry.entries.map((e) => {
        const p = `${path.replace(/\/+$/, '')}/${e.name}`;
        return {
          type: e.type === 'tree' ? 'dir' : 'file',
          name: e.name,
          path: p,
          sha: e.sha,
          size: e.size,
          download_url: null,
          ...links(p, e.sha, e.type),
        };
      });
      return { status: 200, body };
    }
    // GitHub wraps base64 content at 60 characters.
    const content = entry.content.toString('base64').replace(/(.{60})/g, '$1\n');
    const name = path.split('/').pop()!;
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: 'base64',
        size: entry.content.length,
        name,
        path,
        content,
        sha: entry.sha,
        download_url: hub.shapes.api(`/${repo.fullName}/raw/${sha}/${path}`),
        ...links(path, entry.sha, 'blob'),
      },
    };
  });

  router.add('GET', '/repos/:owner/:repo/commits', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const from = await resolveOr404(repo, ctx.query.get('sha') ?? repo.defaultBranch, 'Not Found');
    let commits = await repo.git.log(from, { path: ctx.query.get('path') ?? undefined });
    const author = ctx.query.get('author');
    if (author)
      commits = commits.filter((c) => c.authorEmail === author || hub.userByEmail(c.authorEmail)?.login === author);
    const since = ctx.query.get('since');
    if (since) commits = commits.filter((c) => c.committerDate >= since);
    const { page, headers } = paginate(commits, ctx);
    return { status: 200, headers, body: page.map((c) => hub.shapes.commit(repo, c)) };
  });

  router.add('GET', '/repos/:owner/:repo/commits/:ref', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const sha = await resolveOr404(repo, ctx.params.ref!);
    const commit = (await repo.git.commit(sha))!;
    const files = await repo.git.diffFiles(commit.parents[0] ?? '4b825dc642cb6eb9a060e54bf8d69288fbee4904', sha);
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    return {
      status: 200,
      body: hub.shapes.commit(repo, commit, {
        stats: { additions, deletions, total: additions + deletions },
        files: files.map((f) => hub.shapes.file(repo, f, sha)),
      }),
    };
  });

  router.add('GET', '/repos/:owner/:repo/compare/*basehead', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const basehead = ctx.params.basehead!;
    const dots = basehead.indexOf('...');
    if (dots < 0) throw notFound();
    const baseRev = basehead.slice(0, dots);
    const headRev = basehead.slice(dots + 3);
    const base = await resolveOr404(repo, baseRev, 'Not Found');
    const head = await resolveOr404(repo, headRev, 'Not Found');
    const mergeBase = await repo.git.mergeBase(base, head);
    if (!mergeBase) throw new HttpError(404, `No common ancestor between ${baseRev} and ${headRev}.`);
    const ahead = await repo.git.count(base, head);
    const behind = await repo.git.count(head, base);
    const status =
      ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
    // GitHub lists up to 250 commits per page here, oldest first, and at most 300 files.
    const commits = await repo.git.log(head, { exclude: base, reverse: true });
    const { page, headers } = paginate(commits, ctx, { defaultPerPage: 250, maxPerPage: 250 });
    const files = (await repo.git.diffFiles(mergeBase, head)).slice(0, 300);
    const toJson = async (sha: string) => hub.shapes.commit(repo, (await repo.git.commit(sha))!);
    return {
      status: 200,
      headers,
      body: {
        url: hub.shapes.api(`/repos/${repo.fullName}/compare/${basehead}`),
        html_url: hub.shapes.api(`/${repo.fullName}/compare/${basehead}`),
        permalink_url: hub.shapes.api(`/${repo.fullName}/compare/${base}...${head}`),
        diff_url: hub.shapes.api(`/${repo.fullName}/compare/${basehead}.diff`),
        patch_url: hub.shapes.api(`/${repo.fullName}/compare/${basehead}.patch`),
        base_commit: await toJson(base),
        merge_base_commit: await toJson(mergeBase),
        status,
        ahead_by: ahead,
        behind_by: behind,
        total_commits: ahead,
        commits: page.map((c) => hub.shapes.commit(repo, c)),
        files: files.map((f) => hub.shapes.file(repo, f, head)),
      },
    };
  });
}
