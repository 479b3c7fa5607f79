import { createHash } from 'node:crypto';
import type { GitHubPort } from '../../ports.js';

// A repository_dispatch has no idempotency key of its own and creates nothing we can read back
// but the workflow runs it starts. So each delivery carries a deterministic key in its
// client_payload (`idempotency_key`: the same for every resend of the same commit, subscriber
// and feature), its intent is recorded before it is sent, and a resumed delivery looks for a run
// whose run-name shows that key before sending again. A subscriber whose workflow names its runs
// after the key (`run-name: … ${{ github.event.client_payload.idempotency_key }}`) is never sent
// the same delivery twice by a crash; any receiver can dedupe on the key.

/** GitHub's clock and ours differ; a run created this long before the intent still counts. */
const CLOCK_SKEW_MS = 60_000;

export function dispatchKey(input: { sourceRepo: string; sha: string; subscriber: string; feature: string }): string {
  const text = [input.sourceRepo, input.sha, input.subscriber.toLowerCase(), input.feature].join('\n');
  return `us-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/** The run an earlier send of this delivery started: a repository_dispatch run after the intent naming the key. */
export async function findDispatchRun(
  github: Pick<GitHubPort, 'listDispatchedRuns'>,
  repo: string,
  key: string,
  intentAt: string,
): Promise<{ htmlUrl: string } | null> {
  const since = new Date(Date.parse(intentAt) - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const runs = await github.listDispatchedRuns(repo, { createdSince: since, event: 'repository_dispatch' });
  return runs.find((r) => r.event === 'repository_dispatch' && r.displayTitle.includes(key)) ?? null;
}
