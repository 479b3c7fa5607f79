import { closePull, emitPush } from './pull-ops.js';
import { HttpError, notFound, paginate, str, validationFailed, type Router } from './router.js';
import type { Hub } from './hub.js';
import type { RepoState } from './state.js';

function refuseProtected(repo: RepoState, ref: string): void {
  if (ref.startsWith('refs/heads/') && repo.protectedBranches.has(ref.slice('refs/heads/'.length))) {
    throw validationFailed([], `Protected branch update failed for ${ref}.`);
  }
}

// Repository, branches, refs and tags: GitHub's views of git data, read from the bare repository.

export function gitDataRoutes(router: Router, hub: Hub): void {
  router.add('GET', '/repos/:owner/:repo', (ctx) => ({ status: 200, body: hub.repoJson(hub.repo(ctx.params)) }));

  router.add('GET', '/user', (ctx) => ({
    status: 200,
    body: hub.shapes.user(ctx.login, hub.users.get(ctx.login)?.type ?? 'User'),
  }));

  router.add('GET', '/rate_limit', () => {
    const core = { limit: 5000, used: 1, remaining: 4999, reset: Math.ceil(Date.now() / 1000) + 3600 };
    return { status: 200, body: { resources: { core }, rate: core } };
  });

  router.add('GET', '/orgs/:org/members', (ctx) => {
    const members = hub.orgMembers.get(ctx.params.org!.toLowerCase());
    if (!members) throw notFound();
    const { page, headers } = paginate([...members].sort(), ctx);
    return { status: 200, headers, body: page.map((login) => hub.shapes.user(login)) };
  });

  router.add('GET', '/repos/:owner/:repo/branches', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const { page, headers } = paginate(await repo.git.listRefs('refs/heads/'), ctx);
    const body = page.map((b) => {
      const name = b.ref.slice('refs/heads/'.length);
      return {
        name,
        commit: { sha: b.sha, url: hub.shapes.api(`/repos/${repo.fullName}/commits/${b.sha}`) },
        protected: repo.protectedBranches.has(name),
      };
    });
    return { status: 200, headers, body };
  });

  router.add('GET', '/repos/:owner/:repo/branches/*branch', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const name = ctx.params.branch!;
    const sha = await repo.git.resolve(`refs/heads/${name}`);
    const commit = sha ? await repo.git.commit(sha) : null;
    if (!commit) throw new HttpError(404, 'Branch not found');
    return {
      status: 200,
      body: {
        name,
        commit: hub.shapes.commit(repo, commit),
        protected: repo.protectedBranches.has(name),
        protection: protectionOf(repo.protectedBranches.get(name)),
        _links: {
          self: hub.shapes.api(`/repos/${repo.fullName}/branches/${name}`),
          html: hub.shapes.api(`/${repo.fullName}/tree/${name}`),
        },
      },
    };
  });

  router.add('GET', '/repos/:owner/:repo/tags', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const tags = await repo.git.listRefs('refs/tags/', '-v:refname');
    const { page, headers } = paginate(tags, ctx);
    const body = page.map((t) => {
      const name = t.ref.slice('refs/tags/'.length);
      return {
        name,
        node_id: `TAG_${name}`,
        commit: { sha: t.commit, url: hub.shapes.api(`/repos/${repo.fullName}/commits/${t.commit}`) },
        zipball_url: hub.shapes.api(`/repos/${repo.fullName}/zipball/refs/tags/${name}`),
        tarball_url: hub.shapes.api(`/repos/${repo.fullName}/tarball/refs/tags/${name}`),
      };
    });
    return { status: 200, headers, body };
  });

  router.add('GET', '/repos/:owner/:repo/git/ref/*ref', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = `refs/${ctx.params.ref}`;
    const target = await repo.git.refTarget(ref);
    if (!target) throw notFound();
    return { status: 200, body: hub.shapes.ref(repo, ref, target.sha, target.type) };
  });

  router.add('GET', '/repos/:owner/:repo/git/matching-refs/*ref', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const prefix = `refs/${ctx.params.ref}`;
    const all = await repo.git.listRefs(prefix.endsWith('/') ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1));
    const refs = all.filter((r) => r.ref.startsWith(prefix));
    const { page, headers } = paginate(refs, ctx);
    return { status: 200, headers, body: page.map((r) => hub.shapes.ref(repo, r.ref, r.sha, r.type)) };
  });

  router.add('POST', '/repos/:owner/:repo/git/refs', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = str(ctx.body.ref);
    const sha = str(ctx.body.sha);
    if (!ref || !sha || !/^refs\/[^\s]+\/[^\s]+$/.test(ref)) throw validationFailed([], 'Reference name is invalid');
    if (!(await repo.git.resolve(sha))) throw validationFailed([], 'Object does not exist');
    if (!(await repo.git.updateRef(ref, sha, null))) throw validationFailed([], 'Reference already exists');
    const target = await repo.git.refTarget(ref);
    if (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) emitPush(hub, repo, ref, null, sha, ctx.login);
    return { status: 201, body: hub.shapes.ref(repo, ref, target!.sha, target!.type) };
  });

  router.add('PATCH', '/repos/:owner/:repo/git/refs/*ref', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = `refs/${ctx.params.ref}`;
    const sha = str(ctx.body.sha);
    const current = await repo.git.refTarget(ref);
    if (!current) throw validationFailed([], 'Reference does not exist');
    refuseProtected(repo, ref);
    if (!sha || !(await repo.git.resolve(sha))) throw validationFailed([], 'Object does not exist');
    if (ctx.body.force !== true && !(await repo.git.isAncestor(current.sha, sha)))
      throw validationFailed([], 'Update is not a fast forward');
    if (!(await repo.git.updateRef(ref, sha, current.sha))) throw new HttpError(409, 'Reference update failed');
    emitPush(hub, repo, ref, current.sha, sha, ctx.login);
    return { status: 200, body: hub.shapes.ref(repo, ref, sha, 'commit') };
  });

  router.add('DELETE', '/repos/:owner/:repo/git/refs/*ref', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = `refs/${ctx.params.ref}`;
    const current = await repo.git.refTarget(ref);
    if (!current) throw validationFailed([], 'Reference does not exist');
    refuseProtected(repo, ref);
    if (!(await repo.git.deleteRef(ref, current.sha))) throw new HttpError(409, 'Reference update failed');
    emitPush(hub, repo, ref, current.sha, null, ctx.login);
    // GitHub closes open pull requests whose head branch is deleted.
    if (ref.startsWith('refs/heads/')) {
      const branch = ref.slice('refs/heads/'.length);
      for (const base of hub.store.all()) {
        for (const pr of base.pulls) {
          if (pr.state === 'open' && pr.headRepo.toLowerCase() === repo.fullName.toLowerCase() && pr.headRef === branch)
            await closePull(hub, base, pr, ctx.login);
        }
      }
    }
    return { status: 204 };
  });
}

// GitHub's summary of a branch's protection on GET /branches/{branch}, readable with read access.
function protectionOf(p: { requiredChecks: string[] } | undefined) {
  if (!p) return { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } };
  return {
    enabled: true,
    required_status_checks: {
      enforcement_level: p.requiredChecks.length ? 'non_admins' : 'off',
      contexts: p.requiredChecks,
      checks: p.requiredChecks.map((context) => ({ context, app_id: null })),
    },
  };
}
