import type { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { until } from './until.js';

/** Requests the GitHub stand-in receives: this method on this exact path. */
export interface RequestAt {
  method: string;
  path: string;
}

/**
 * For crash tests: lets the first nth-1 requests matching `at` through, holds the nth long enough
 * to kill the process while it waits for the answer, starts the process and resolves with it once
 * the nth request has arrived.
 */
export async function holdNthRequest<T>(
  sandbox: GitHubSandbox,
  at: RequestAt,
  nth: number,
  start: () => T,
): Promise<T> {
  if (nth > 1) sandbox.faults.inject({ ...at, latencyMs: 1, times: nth - 1 });
  sandbox.faults.inject({ ...at, latencyMs: 3000, times: 1 });
  const started = start();
  const seen = () => sandbox.requests.filter((r) => r.method === at.method && r.path === at.path).length;
  await until(() => seen() >= nth, `request ${nth} to ${at.method} ${at.path}`);
  return started;
}
