import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { Logger } from '../../log.js';
import type { HttpCache } from '../../ports.js';
import { installConditionalRequests } from './conditional-requests.js';
import { repoOfApiPath } from './github-credentials.js';

// The Octokit the adapter uses: retries 5xx and network errors with backoff (plugin-retry), waits
// out rate limits a bounded number of times (plugin-throttling), and otherwise lets the error
// reach the adapter, which maps it to an AppError the job runner knows how to reschedule.

export const RetryingOctokit = Octokit.plugin(retry, throttling);
export type RetryingOctokit = InstanceType<typeof RetryingOctokit>;

export interface GitHubClientOptions {
  /** A static token, or a function giving a token valid for a while yet for a repository (GitHub App installation tokens). */
  token: string | ((repo?: string) => Promise<string>);
  /** GITHUB_API_URL: https://api.github.com, a GitHub Enterprise /api/v3 URL, or a stand-in. */
  baseUrl: string;
  log?: Logger;
  userAgent?: string;
  /** Called before every HTTP attempt (retries included): the benchmark counts http_calls with it. */
  onRequest?: (request: { method: string; url: string }) => void;
  /** Called after every HTTP attempt: status (null: no answer) and the rate limit GitHub reported. */
  onResponse?: (response: GitHubAttempt) => void;
  /**
   * ETags and bodies of repeated GETs (the store's http_cache): with it, those GETs are
   * conditional and a 304, which GitHub does not charge to the rate limit, replays the cached body.
   */
  conditionalCache?: HttpCache;
  /** Production defaults follow GitHub's guidance; tests shrink the waits. */
  tuning?: Partial<GitHubClientTuning>;
}

export interface GitHubAttempt {
  method: string;
  status: number | null;
  /** x-ratelimit-remaining, when GitHub sent it. */
  rateRemaining: number | null;
  /** x-ratelimit-limit and x-ratelimit-reset (epoch seconds), when GitHub sent them. */
  rateLimit?: number | null;
  rateReset?: number | null;
}

export interface GitHubClientTuning {
  /** Retries of 5xx and network errors. */
  retries: number;
  /** Retry n waits n² × this (plugin-retry); retry-after seconds are also scaled by it (plugin-throttling). */
  retryBaseMs: number;
  /** Retries after a secondary rate limit. */
  secondaryRateLimitRetries: number;
  /** A rate limit asking to wait longer than this fails fast (rate_limited) so the job is rescheduled instead. */
  maxRateLimitWaitSeconds: number;
  /** Spacing of mutating requests (GitHub asks for one second); null keeps the plugin's default. */
  writeIntervalMs: number | null;
  /** Per HTTP attempt: Octokit has no timeout of its own, and a hung connection must not hang a job. */
  timeoutMs: number;
}

const DEFAULT_TUNING: GitHubClientTuning = {
  retries: 3,
  retryBaseMs: 1000,
  secondaryRateLimitRetries: 2,
  maxRateLimitWaitSeconds: 120,
  writeIntervalMs: null,
  timeoutMs: 30_000,
};

/**
 * Defaults for an API base URL. GitHub's one-second spacing of writes protects its own secondary
 * limits; a loopback API (the stand-in the e2e tests and the demo run the real process against)
 * has none, and would otherwise make every run wait a second per write.
 */
export function defaultTuning(baseUrl: string): GitHubClientTuning {
  const host = new URL(baseUrl).hostname;
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  return { ...DEFAULT_TUNING, writeIntervalMs: loopback ? 0 : null };
}

export function createOctokit(options: GitHubClientOptions): RetryingOctokit {
  const tuning = { ...defaultTuning(options.baseUrl), ...options.tuning };
  const log = options.log;
  const onRequest = options.onRequest;
  const token = options.token;
  const octokit = new RetryingOctokit({
    ...(typeof token === 'string' ? { auth: token } : { authStrategy: freshTokenStrategy(token) }),
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'upstream-sync',
    log: {
      debug: (message: string) => log?.debug({ source: 'octokit' }, message),
      // Octokit's request log says `info` for every request and `error` for every non-2xx,
      // including the 404s the adapter expects ("does this branch exist?"). The adapter turns
      // real failures into AppErrors that the job logs with context, so these are debug lines.
      info: (message: string) => log?.debug({ source: 'octokit' }, message),
      warn: (message: string) => log?.warn({ source: 'octokit' }, message),
      error: (message: string) => log?.debug({ source: 'octokit' }, message),
    },
    // Below the retry and throttling wrappers: every attempt is counted and timed out on its own.
    request: { fetch: attemptFetch(tuning.timeoutMs, onRequest, options.onResponse) },
    retry: { retries: tuning.retries, retryAfterBaseValue: tuning.retryBaseMs },
    throttle: {
      retryAfterBaseValue: tuning.retryBaseMs,
      ...(tuning.writeIntervalMs !== null ? writeGroups(tuning.writeIntervalMs) : {}),
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const again = retryCount < tuning.secondaryRateLimitRetries && retryAfter <= tuning.maxRateLimitWaitSeconds;
        log?.warn(
          { method: request.method, url: request.url, retryAfter, retryCount, again },
          'GitHub secondary rate limit',
        );
        return again;
      },
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        // The primary limit resets hourly: wait once when the reset is close, else fail fast.
        const again = retryCount < 1 && retryAfter <= tuning.maxRateLimitWaitSeconds;
        log?.warn({ method: request.method, url: request.url, retryAfter, retryCount, again }, 'GitHub rate limit');
        return again;
      },
    },
  });
  if (options.conditionalCache) installConditionalRequests(octokit, options.conditionalCache);
  return octokit;
}

function attemptFetch(
  timeoutMs: number,
  onRequest?: (request: { method: string; url: string }) => void,
  onResponse?: (response: GitHubAttempt) => void,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = init?.method ?? 'GET';
    onRequest?.({ method, url });
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
      const header = (name: string) => {
        const value = res.headers.get(name);
        return value === null ? null : Number(value);
      };
      onResponse?.({
        method,
        status: res.status,
        rateRemaining: header('x-ratelimit-remaining'),
        rateLimit: header('x-ratelimit-limit'),
        rateReset: header('x-ratelimit-reset'),
      });
      return res;
    } catch (err) {
      onResponse?.({ method, status: null, rateRemaining: null });
      throw err;
    }
  };
}

// Groups of our own so tests can space writes differently; the plugin's defaults are shared by
// every Octokit in the process.
function writeGroups(minTime: number): { write: Bottleneck.Group; notifications: Bottleneck.Group } {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime }),
  };
}

type RequestFn = ((endpoint: unknown) => Promise<unknown>) & {
  endpoint: {
    merge(
      route: unknown,
      params?: unknown,
    ): { headers: Record<string, string>; url: string; owner?: unknown; repo?: unknown };
  };
};

/**
 * An Octokit auth strategy asking `getToken` before every attempt: a refreshed token is used at
 * once, and each request gets the token for the repository it names (an App installed on several
 * accounts has one installation, and one token, per account).
 */
function freshTokenStrategy(getToken: (repo?: string) => Promise<string>) {
  return (() => {
    const auth = async () => ({ type: 'token', tokenType: 'installation', token: await getToken() });
    return Object.assign(auth, {
      hook: async (request: RequestFn, route: unknown, parameters?: unknown) => {
        const endpoint = request.endpoint.merge(route, parameters);
        const repo =
          typeof endpoint.owner === 'string' && typeof endpoint.repo === 'string'
            ? `${endpoint.owner}/${endpoint.repo}`
            : repoOfApiPath(endpoint.url);
        endpoint.headers.authorization = `token ${await getToken(repo)}`;
        return request(endpoint);
      },
    });
  }) as never;
}
