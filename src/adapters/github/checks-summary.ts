import type { ChecksSummary } from '../../ports.js';

// One verdict from GitHub's two CI systems: check runs (Actions, apps) and commit statuses
// (older integrations). Any failure wins, then anything still running, then success.

export interface CheckRunLike {
  name: string;
  status: string;
  conclusion: string | null;
}

export interface StatusLike {
  context: string;
  state: string;
}

const PASSING = new Set(['success', 'neutral', 'skipped']);

export function summarizeChecks(runs: CheckRunLike[], statuses: StatusLike[]): ChecksSummary {
  const failing: string[] = [];
  const pending: string[] = [];
  for (const run of runs) {
    if (run.status !== 'completed') pending.push(run.name);
    else if (!PASSING.has(run.conclusion ?? '')) failing.push(run.name);
  }
  for (const status of statuses) {
    if (status.state === 'pending') pending.push(status.context);
    else if (status.state !== 'success') failing.push(status.context);
  }
  const total = runs.length + statuses.length;
  const state = failing.length ? 'failure' : pending.length ? 'pending' : total === 0 ? 'none' : 'success';
  return { state, total, failing, pending };
}
