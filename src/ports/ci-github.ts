// What the CI fixer reads from GitHub beyond the GitHubPort: which checks failed on a commit, with
// their output, and the logs of failed GitHub Actions jobs. Read-only.

export interface FailedCheck {
  name: string;
  source: 'check-run' | 'status';
  conclusion: string;
  /** A check run's output (title, summary, text) or a status's description. */
  output: string;
  url: string | null;
  /** The GitHub Actions job (an Actions check run's id is its job's id); null for other apps and statuses. */
  jobId: number | null;
}

export interface CiGitHubPort {
  failedChecks(repo: string, sha: string): Promise<FailedCheck[]>;
  /** GET /repos/{o}/{r}/actions/jobs/{id}/logs as text; null when the log is gone or never existed. */
  jobLog(repo: string, jobId: number): Promise<string | null>;
  /**
   * The checks branch protection requires on `branch` (GET /repos/{o}/{r}/branches/{branch},
   * `protection.required_status_checks`); empty when the branch is unprotected or requires none.
   */
  requiredChecks(repo: string, branch: string): Promise<string[]>;
}
