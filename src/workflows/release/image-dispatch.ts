import type { GitHubPort, WorkflowRun } from '../../ports.js';

// The image build is a workflow_dispatch, which has no idempotency key: if the process dies after
// GitHub accepted it and before the answer came back, a blind resend builds twice. So the release
// records its intent first, and a resumed release looks for the run its earlier attempt started
// before dispatching again.

/** GitHub's clock and ours differ; a run created this long before the intent still counts. */
const CLOCK_SKEW_MS = 60_000;

export interface ImageDispatch {
  workflow: string;
  ref: string;
  input: string;
}

/**
 * The run an earlier dispatch of this release started, if any: a workflow_dispatch run of the same
 * workflow file on the same ref, created after the intent, whose run-name names the tag. A workflow
 * without a `run-name:` shows its own name as the title and cannot say which tag it builds: then
 * any such run after the intent is taken as ours (the intent is minutes old at most).
 */
export async function findDispatchedRun(
  github: GitHubPort,
  repo: string,
  image: ImageDispatch,
  tag: string,
  intentAt: string,
): Promise<WorkflowRun | null> {
  const since = new Date(Date.parse(intentAt) - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const runs = await github.listDispatchedRuns(repo, { createdSince: since, branch: image.ref });
  const file = image.workflow.split('/').pop() ?? image.workflow;
  const candidates = runs.filter(
    (r) =>
      r.event === 'workflow_dispatch' && (r.path === file || r.path.endsWith(`/${file}`)) && r.headBranch === image.ref,
  );
  return (
    candidates.find((r) => r.displayTitle.includes(tag)) ?? candidates.find((r) => r.displayTitle === r.name) ?? null
  );
}
