import type { Config } from '../config/schema.js';
import { errorMessage } from '../errors.js';
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

async function checkPipeline(
  p: Config['pipelines'][number],
  probe: GitHubProbe,
  scopes: string[] | null,
): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const upstream = await probe.get(`/repos/${p.upstream.repo}`).catch(() => null);
  if (!upstream || upstream.status >= 500)
    out.push(fail(`github.upstream.${p.id}`, `${p.id}: upstream`, `${p.upstream.repo} could not be read`, 'try again'));
  else if (upstream.status !== 200)
    out.push(
      fail(
        `github.upstream.${p.id}`,
        `${p.id}: upstream`,
        `${p.upstream.repo} is not readable with ${probe.credential} (${upstream.status})`,
        'check upstream.repo in the config, and that the token can read it',
        true,
      ),
    );
  else out.push(ok(`github.upstream.${p.id}`, `${p.id}: upstream`, `${p.upstream.repo} readable`));

  const fork = await probe.get(`/repos/${p.fork.repo}`).catch(() => null);
  const perms = (fork?.data as { permissions?: { push?: boolean } } | undefined)?.permissions;
  if (!fork || fork.status >= 500)
    out.push(fail(`github.fork.${p.id}`, `${p.id}: fork`, `${p.fork.repo} could not be read`, 'try again'));
  else if (fork.status !== 200)
    out.push(
      fail(
        `github.fork.${p.id}`,
        `${p.id}: fork`,
        `${p.fork.repo} is not readable with ${probe.credential} (${fork.status})`,
        'check fork.repo in the config, and give the token access to it',
        true,
      ),
    );
  else if (perms && perms.push === false)
    out.push(
      fail(
        `github.fork.${p.id}`,
        `${p.id}: fork`,
        `${probe.credential} cannot push to ${p.fork.repo}`,
        'give it "Contents: write" and "Pull requests: write" (or write access for the bot account)',
        true,
      ),
    );
  else out.push(ok(`github.fork.${p.id}`, `${p.id}: fork`, `${p.fork.repo} readable, push allowed`));

  const workflows = await probe.get(`/repos/${p.upstream.repo}/contents/.github/workflows`).catch(() => null);
  const title = `${p.id}: workflows`;
  if (!workflows || workflows.status !== 200)
    out.push(skip(`github.workflows.${p.id}`, title, `${p.upstream.repo} has no .github/workflows to carry over`));
  else if (scopes === null)
    out.push(
      skip(
        `github.workflows.${p.id}`,
        title,
        `${p.upstream.repo} has workflow files; this kind of token does not list its permissions, so make sure it has "Workflows: write"`,
      ),
    );
  else if (!scopes.includes('workflow'))
    out.push(
      fail(
        `github.workflows.${p.id}`,
        title,
        `${p.upstream.repo} changes .github/workflows but the token has no workflow scope (scopes: ${scopes.join(', ') || 'none'})`,
        WORKFLOW_FIX,
      ),
    );
  else out.push(ok(`github.workflows.${p.id}`, title, 'the token has the workflow scope'));
  return out;
}
