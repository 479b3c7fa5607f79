import type { Config, PipelineConfig } from '../config/schema.js';
import { errorMessage, isAppError } from '../errors.js';
import { fail, ok, skip, type CheckResult } from './check.js';

// Checks of GitHub: credentials, rate limit, and per pipeline the repositories with the
// permissions the bot needs. Only definite answers (401, 404, no push) are fatal; GitHub being
// unreachable is reported and the bot still starts (its jobs retry).

export interface ProbeResponse {
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
}

/** A GET against the GitHub API that answers every HTTP status and throws only on network failure. */
export interface GitHubProbe {
  /** Which credential is used, for messages: `GITHUB_TOKEN` or `the GitHub App 123`. */
  credential: string;
  get(path: string): Promise<ProbeResponse>;
}

const WORKFLOW_FIX =
  'give the token the workflow scope (classic PAT) or "Workflows: write" (fine-grained token, GitHub App): a sync branch that changes .github/workflows is refused without it';

/** The repositories a pipeline reads (upstream, source) and the ones it pushes to (fork, target, subscribers). */
export function pipelineRepos(p: PipelineConfig): { read: string; push: string[] } {
  switch (p.kind) {
    case 'release-sync':
    case 'branch-sync':
      return { read: p.upstream.repo, push: [p.fork.repo] };
    case 'mirror':
      return { read: p.source.repo, push: [p.target.repo] };
    case 'dispatch':
      return { read: p.source.repo, push: (p.subscribers ?? []).map((s) => s.repo) };
  }
}

export async function checkGitHub(config: Config, probe: GitHubProbe | null): Promise<CheckResult[]> {
  if (!probe)
    return [
      fail(
        'github.credentials',
        'GitHub credentials',
        'neither GITHUB_TOKEN nor a GitHub App (GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY) is set',
        'set GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY(_FILE)',
        true,
      ),
    ];
  const title = 'GitHub credentials';
  let user: ProbeResponse;
  try {
    user = await probe.get('/rate_limit');
  } catch (err) {
    if (isAppError(err, 'config_invalid'))
      return [
        fail(
          'github.credentials',
          title,
          err.message,
          'check GITHUB_APP_ID, the private key and the installation (GitHub → Settings → Developer settings → GitHub Apps)',
          true,
        ),
      ];
    return [
      fail(
        'github.credentials',
        title,
        `GitHub is unreachable (${errorMessage(err)})`,
        'check GITHUB_API_URL, DNS and the proxy',
      ),
    ];
  }
  if (user.status === 401)
    return [
      fail(
        'github.credentials',
        title,
        `${probe.credential} was refused by GitHub (401 Bad credentials)`,
        'create a new token (or check the App id, key and installation) and set it',
        true,
      ),
    ];
  const results: CheckResult[] = [ok('github.credentials', title, `${probe.credential} accepted`)];
  const core = (user.data as { resources?: { core?: { remaining?: number; limit?: number } } }).resources?.core;
  if (core?.remaining !== undefined) {
    const line = `${core.remaining} of ${core.limit ?? '?'} requests left this hour`;
    results.push(
      core.remaining < 100
        ? fail(
            'github.rate-limit',
            'GitHub rate limit',
            line,
            'wait for the reset, or use a GitHub App (higher limits)',
          )
        : ok('github.rate-limit', 'GitHub rate limit', line),
    );
  }
  const scopes = user.headers['x-oauth-scopes'];
  const scopeList = scopes === undefined ? null : scopes.split(',').map((s) => s.trim());
  for (const p of config.pipelines) results.push(...(await checkPipeline(p, probe, scopeList)));
  return results;
}

async function readable(
  probe: GitHubProbe,
  id: string,
  title: string,
  repo: string,
  needPush: boolean,
): Promise<CheckResult> {
  const r = await probe.get(`/repos/${repo}`).catch(() => null);
  if (!r || r.status >= 500) return fail(id, title, `${repo} could not be read (GitHub did not answer)`, 'try again');
  if (r.status !== 200)
    return fail(
      id,
      title,
      `${repo} is not readable with ${probe.credential} (${r.status})`,
      'check the repository name in the config, and that the credentials can read it',
      true,
    );
  const perms = (r.data as { permissions?: { push?: boolean } } | undefined)?.permissions;
  if (needPush && perms?.push === false)
    return fail(
      id,
      title,
      `${probe.credential} cannot push to ${repo}`,
      'give it "Contents: write" and "Pull requests: write" (or write access for the bot account)',
      true,
    );
  return ok(id, title, needPush ? `${repo} readable, push allowed` : `${repo} readable`);
}

async function checkPipeline(p: PipelineConfig, probe: GitHubProbe, scopes: string[] | null): Promise<CheckResult[]> {
  const { read, push } = pipelineRepos(p);
  const out: CheckResult[] = [
    await readable(
      probe,
      `github.read.${p.id}`,
      `${p.id}: ${p.kind === 'release-sync' || p.kind === 'branch-sync' ? 'upstream' : 'source'}`,
      read,
      false,
    ),
  ];
  for (const repo of push)
    out.push(
      await readable(
        probe,
        `github.push.${p.id}${push.length > 1 ? `.${repo}` : ''}`,
        `${p.id}: ${p.kind === 'release-sync' || p.kind === 'branch-sync' ? 'fork' : p.kind === 'mirror' ? 'target' : `subscriber ${repo}`}`,
        repo,
        true,
      ),
    );
  if (push.length === 0) return out;
  const workflows = await probe.get(`/repos/${read}/contents/.github/workflows`).catch(() => null);
  const title = `${p.id}: workflows`;
  const id = `github.workflows.${p.id}`;
  if (!workflows || workflows.status !== 200)
    out.push(skip(id, title, `${read} has no .github/workflows to carry over`));
  else if (scopes === null)
    out.push(
      skip(
        id,
        title,
        `${read} has workflow files; this kind of token does not list its permissions, so make sure it has "Workflows: write"`,
      ),
    );
  else if (!scopes.includes('workflow'))
    out.push(
      fail(
        id,
        title,
        `${read} changes .github/workflows but the token has no workflow scope (scopes: ${scopes.join(', ') || 'none'})`,
        WORKFLOW_FIX,
      ),
    );
  else out.push(ok(id, title, 'the token has the workflow scope'));
  return out;
}
