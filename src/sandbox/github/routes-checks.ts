import { HttpError, paginate, str, validationFailed, type Router } from './router.js';
import type { Hub } from './hub.js';
import type { CheckRunRecord, RepoState, StatusRecord } from './state.js';

// Check runs and commit statuses (settable by tests, which play CI), and the dispatch endpoints
// whose calls are only recorded: no workflow runs here, a test asserts what was asked for.

export interface CheckRunInput {
  name: string;
  status?: CheckRunRecord['status'];
  conclusion?: CheckRunRecord['conclusion'];
  detailsUrl?: string | null;
  summary?: string | null;
  /** The job's log, served by GET /repos/{o}/{r}/actions/jobs/{id}/logs. */
  log?: string | null;
}

/** Creates or replaces (same name, same commit) a check run; completion emits check_run and check_suite. */
export function upsertCheckRun(
  hub: Hub,
  repo: RepoState,
  sha: string,
  input: CheckRunInput,
  sender: string,
): CheckRunRecord {
  const now = hub.now();
  const status = input.status ?? (input.conclusion ? 'completed' : 'queued');
  let run = repo.checkRuns.find((c) => c.headSha === sha && c.name === input.name);
  if (!run) {
    run = {
      id: hub.store.newId(),
      headSha: sha,
      name: input.name,
      status,
      conclusion: null,
      detailsUrl: null,
      startedAt: now,
      completedAt: null,
      output: { title: null, summary: null },
    };
    repo.checkRuns.push(run);
  }
  Object.assign(run, {
    status,
    conclusion: status === 'completed' ? (input.conclusion ?? 'success') : null,
    completedAt: status === 'completed' ? now : null,
    detailsUrl: input.detailsUrl ?? run.detailsUrl,
    output: { title: input.name, summary: input.summary ?? run.output.summary },
    log: input.log ?? run.log ?? null,
  });
  if (status === 'completed') {
    // As on GitHub, check payloads name the open same-repository pull requests of the commit.
    const pulls = repo.pulls.filter((p) => p.state === 'open' && p.headSha === sha && p.headRepo === repo.fullName);
    const pullRequests = pulls.map((p) => ({
      number: p.number,
      url: hub.shapes.api(`/repos/${repo.fullName}/pulls/${p.number}`),
      head: { ref: p.headRef, sha, repo: { id: repo.id, name: repo.name } },
      base: { ref: p.baseRef, repo: { id: repo.id, name: repo.name } },
    }));
    const headBranch = pulls[0]?.headRef ?? null;
    hub.emit(
      repo,
      'check_run',
      {
        action: 'completed',
        check_run: {
          ...hub.shapes.checkRun(repo, run),
          pull_requests: pullRequests,
          check_suite: { head_branch: headBranch, head_sha: sha },
        },
      },
      sender,
    );
    const suite = repo.checkRuns.filter((c) => c.headSha === sha);
    if (suite.every((c) => c.status === 'completed')) {
      const conclusion = suite.every((c) => PASSING.includes(c.conclusion ?? '')) ? 'success' : 'failure';
      hub.emit(
        repo,
        'check_suite',
        {
          action: 'completed',
          check_suite: {
            id: hub.store.newId(),
            head_sha: sha,
            head_branch: headBranch,
            status: 'completed',
            conclusion,
            pull_requests: pullRequests,
            app: { slug: 'github-actions' },
          },
        },
        sender,
      );
    }
  }
  return run;
}

export function addStatus(
  hub: Hub,
  repo: RepoState,
  sha: string,
  input: { context?: string; state: StatusRecord['state']; description?: string | null; targetUrl?: string | null },
  sender: string,
): StatusRecord {
  const now = hub.now();
  const status: StatusRecord = {
    id: hub.store.newId(),
    sha,
    context: input.context ?? 'default',
    state: input.state,
    description: input.description ?? null,
    targetUrl: input.targetUrl ?? null,
    createdAt: now,
    updatedAt: now,
  };
  repo.statuses.push(status);
  hub.emit(
    repo,
    'status',
    {
      sha,
      state: status.state,
      context: status.context,
      description: status.description,
      target_url: status.targetUrl,
    },
    sender,
  );
  return status;
}

/** Latest status per context, newest first, as the combined status endpoint reports them. */
export function latestStatuses(repo: RepoState, sha: string): StatusRecord[] {
  const seen = new Set<string>();
  return [...repo.statuses].reverse().filter((s) => s.sha === sha && !seen.has(s.context) && seen.add(s.context));
}

const PASSING = ['success', 'neutral', 'skipped'];

/** Required checks of the base branch's protection that have not passed on `sha`. */
export function unmetRequiredChecks(repo: RepoState, baseRef: string, sha: string): string[] {
  const required = repo.protectedBranches.get(baseRef)?.requiredChecks ?? [];
  const statuses = latestStatuses(repo, sha);
  return required.filter((name) => {
    const run = repo.checkRuns.find((c) => c.headSha === sha && c.name === name);
    if (run) return !(run.status === 'completed' && PASSING.includes(run.conclusion ?? ''));
    return statuses.find((s) => s.context === name)?.state !== 'success';
  });
}

const STATES = ['error', 'failure', 'pending', 'success'] as const;

export function checkRoutes(router: Router, hub: Hub): void {
  const commitSha = async (repo: RepoState, ref: string) => {
    const sha = await repo.git.resolve(ref);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
    return sha;
  };

  router.add('GET', '/repos/:owner/:repo/commits/:ref/check-runs', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const sha = await commitSha(repo, ctx.params.ref!);
    const runs = repo.checkRuns.filter(
      (c) => c.headSha === sha && (!ctx.query.get('check_name') || c.name === ctx.query.get('check_name')),
    );
    const { page, headers } = paginate(runs, ctx);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: page.map((c) => hub.shapes.checkRun(repo, c)) },
    };
  });

  router.add('GET', '/repos/:owner/:repo/actions/jobs/:id/logs', (ctx) => {
    const repo = hub.repo(ctx.params);
    const run = repo.checkRuns.find((c) => String(c.id) === ctx.params.id);
    if (!run || run.log === undefined || run.log === null) throw new HttpError(404, 'Not Found');
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: run.log };
  });

  router.add('POST', '/repos/:owner/:repo/check-runs', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const name = str(ctx.body.name);
    const headSha = str(ctx.body.head_sha);
    if (!name || !headSha)
      throw validationFailed([{ resource: 'CheckRun', code: 'missing_field', field: name ? 'head_sha' : 'name' }]);
    const sha = await commitSha(repo, headSha);
    const output = ctx.body.output as { summary?: string } | undefined;
    const run = upsertCheckRun(
      hub,
      repo,
      sha,
      {
        name,
        status: str(ctx.body.status) as CheckRunRecord['status'] | undefined,
        conclusion: str(ctx.body.conclusion) as CheckRunRecord['conclusion'] | undefined,
        detailsUrl: str(ctx.body.details_url) ?? null,
        summary: output?.summary ?? null,
      },
      ctx.login,
    );
    return { status: 201, body: hub.shapes.checkRun(repo, run) };
  });

  router.add('GET', '/repos/:owner/:repo/commits/:ref/status', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const sha = await commitSha(repo, ctx.params.ref!);
    const statuses = latestStatuses(repo, sha);
    const state = statuses.some((s) => s.state === 'error' || s.state === 'failure')
      ? 'failure'
      : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    return {
      status: 200,
      body: {
        state,
        sha,
        total_count: statuses.length,
        statuses: statuses.map((s) => hub.shapes.status(repo, s)),
        repository: hub.shapes.repo(repo),
        commit_url: hub.shapes.api(`/repos/${repo.fullName}/commits/${sha}`),
      },
    };
  });

  router.add('GET', '/repos/:owner/:repo/commits/:ref/statuses', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const sha = await commitSha(repo, ctx.params.ref!);
    const { page, headers } = paginate(
      [...repo.statuses].reverse().filter((s) => s.sha === sha),
      ctx,
    );
    return { status: 200, headers, body: page.map((s) => hub.shapes.status(repo, s)) };
  });

  router.add('POST', '/repos/:owner/:repo/statuses/:sha', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const state = str(ctx.body.state);
    if (!state || !(STATES as readonly string[]).includes(state))
      throw validationFailed([{ resource: 'Status', code: 'invalid', field: 'state' }]);
    const sha = await commitSha(repo, ctx.params.sha!);
    const status = addStatus(
      hub,
      repo,
      sha,
      {
        state: state as StatusRecord['state'],
        context: str(ctx.body.context),
        description: str(ctx.body.description) ?? null,
        targetUrl: str(ctx.body.target_url) ?? null,
      },
      ctx.login,
    );
    return { status: 201, body: hub.shapes.status(repo, status) };
  });

  router.add('POST', '/repos/:owner/:repo/actions/workflows/:workflow/dispatches', async (ctx) => {
    const repo = hub.repo(ctx.params);
    const ref = str(ctx.body.ref);
    if (!ref || !(await repo.git.resolve(ref))) throw validationFailed([], `No ref found for: ${ref ?? ''}`);
    const inputs = (ctx.body.inputs ?? {}) as Record<string, unknown>;
    const workflow = ctx.params.workflow!;
    hub.dispatches.push({
      repo: repo.fullName,
      kind: 'workflow',
      name: workflow,
      ref,
      payload: inputs,
      by: ctx.login,
      run: {
        id: hub.store.newId(),
        createdAt: hub.now(),
        displayTitle: hub.runNames.get(workflow)?.(inputs) ?? workflowName(workflow),
      },
    });
    return { status: 204 };
  });

  // The runs dispatches started: what a client looks for before dispatching again.
  router.add('GET', '/repos/:owner/:repo/actions/runs', (ctx) => {
    const repo = hub.repo(ctx.params);
    const event = ctx.query.get('event');
    const branch = ctx.query.get('branch');
    const created = ctx.query.get('created');
    const since = created?.startsWith('>=') ? Date.parse(created.slice(2)) : NaN;
    if (created && Number.isNaN(since)) throw validationFailed([], `unsupported created filter: ${created}`);
    const eventOf = (d: { kind: 'workflow' | 'repository' }): string =>
      d.kind === 'workflow' ? 'workflow_dispatch' : 'repository_dispatch';
    const runs = hub.dispatches
      .filter((d) => d.repo === repo.fullName && d.run)
      .filter((d) => !event || event === eventOf(d))
      .filter((d) => !branch || (d.ref ?? repo.defaultBranch) === branch)
      .filter((d) => Number.isNaN(since) || Date.parse(d.run!.createdAt) >= since)
      .reverse()
      .map((d) => ({
        id: d.run!.id,
        name: workflowName(d.kind === 'workflow' ? d.name : `on-${d.name}.yml`),
        display_title: d.run!.displayTitle,
        path: `.github/workflows/${d.kind === 'workflow' ? d.name : `on-${d.name}.yml`}`,
        head_branch: d.ref ?? repo.defaultBranch,
        event: eventOf(d),
        status: 'queued',
        conclusion: null,
        created_at: d.run!.createdAt,
        updated_at: d.run!.createdAt,
        html_url: hub.shapes.api(`/${repo.fullName}/actions/runs/${d.run!.id}`),
      }));
    return { status: 200, body: { total_count: runs.length, workflow_runs: runs } };
  });

  router.add('POST', '/repos/:owner/:repo/dispatches', (ctx) => {
    const repo = hub.repo(ctx.params);
    const eventType = str(ctx.body.event_type);
    if (!eventType) throw validationFailed([{ resource: 'Repository', code: 'missing_field', field: 'event_type' }]);
    const payload = (ctx.body.client_payload ?? {}) as Record<string, unknown>;
    if (Object.keys(payload).length > 10)
      throw validationFailed([], 'client_payload can have at most 10 top-level properties');
    // A run only when a workflow listens (setDispatchRunName): GitHub starts none otherwise.
    const runName = hub.runNames.get(`${repo.fullName}\u0000${eventType}`);
    hub.dispatches.push({
      repo: repo.fullName,
      kind: 'repository',
      name: eventType,
      ref: null,
      payload,
      by: ctx.login,
      ...(runName ? { run: { id: hub.store.newId(), createdAt: hub.now(), displayTitle: runName(payload) } } : {}),
    });
    hub.emit(
      repo,
      'repository_dispatch',
      { action: eventType, branch: repo.defaultBranch, client_payload: payload },
      ctx.login,
    );
    return { status: 204 };
  });
}

/** A workflow's display name from its file name (the stand-in has no workflow files to read). */
function workflowName(file: string): string {
  return file.replace(/\.ya?ml$/, '');
}
