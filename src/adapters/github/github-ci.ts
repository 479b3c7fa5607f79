import { AppError } from '../../errors.js';
import type { CiGitHubPort, FailedCheck } from '../../ports/ci-github.js';
import { createOctokit, type GitHubClientOptions, type RetryingOctokit } from './github-client.js';
import { httpStatus, toAppError } from './github-error.js';

// CiGitHubPort over the REST API: failed check runs and statuses of a commit, and Actions job logs.

const PASSING = new Set(['success', 'neutral', 'skipped']);
const SLUG = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

function split(repo: string): { owner: string; repo: string } {
  const m = SLUG.exec(repo);
  if (!m) throw new AppError('validation', `not an "owner/name" repository: ${JSON.stringify(repo)}`);
  return { owner: m[1]!, repo: m[2]! };
}

export class GitHubCiAdapter implements CiGitHubPort {
  constructor(private readonly octokit: RetryingOctokit) {}

  async failedChecks(repo: string, sha: string): Promise<FailedCheck[]> {
    try {
      const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
        ...split(repo),
        ref: sha,
        per_page: 100,
      });
      const { data } = await this.octokit.rest.repos.getCombinedStatusForRef({
        ...split(repo),
        ref: sha,
        per_page: 100,
      });
      const failed: FailedCheck[] = [];
      for (const r of runs) {
        if (r.status !== 'completed' || PASSING.has(r.conclusion ?? '')) continue;
        const output = [r.output.title, r.output.summary, r.output.text].filter(Boolean).join('\n');
        failed.push({
          name: r.name,
          source: 'check-run',
          conclusion: r.conclusion ?? 'failure',
          output,
          url: r.details_url ?? r.html_url ?? null,
          jobId: r.app?.slug === 'github-actions' ? r.id : null,
        });
      }
      for (const s of data.statuses) {
        if (s.state === 'success' || s.state === 'pending') continue;
        failed.push({
          name: s.context,
          source: 'status',
          conclusion: s.state,
          output: s.description ?? '',
          url: s.target_url ?? null,
          jobId: null,
        });
      }
      return failed;
    } catch (err) {
      throw toAppError(err, `read the failed checks of ${sha}`, repo);
    }
  }

  async jobLog(repo: string, jobId: number): Promise<string | null> {
    try {
      const res = await this.octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...split(repo), job_id: jobId });
      const data: unknown = res.data;
      if (typeof data === 'string') return data;
      if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
      return data === null || data === undefined ? null : JSON.stringify(data);
    } catch (err) {
      const status = httpStatus(err);
      if (status === 404 || status === 410) return null;
      throw toAppError(err, `read the log of job ${jobId}`, repo);
    }
  }

  async requiredChecks(repo: string, branch: string): Promise<string[]> {
    try {
      const { data } = await this.octokit.rest.repos.getBranch({ ...split(repo), branch });
      const rule = data.protection?.required_status_checks;
      if (!data.protected || !rule || rule.enforcement_level === 'off') return [];
      return [...new Set([...(rule.contexts ?? []), ...(rule.checks ?? []).map((c) => c.context)])];
    } catch (err) {
      const status = httpStatus(err);
      if (status === 404) return [];
      throw toAppError(err, `read the protection of ${branch}`, repo);
    }
  }
}

export function createGitHubCi(options: GitHubClientOptions): GitHubCiAdapter {
  return new GitHubCiAdapter(createOctokit(options));
}
