// Injected failures, matched in the order they were added. Each fault fires `times` times (a
// latency rule can be permanent) and then stops matching, so a test states exactly how many
// failures the client must ride out.

export interface FaultSpec {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Matched against the request path (no query string); a string must match exactly. Any when omitted. */
  path?: RegExp | string;
  status?: number;
  /** How many matching requests fail; default 1. Infinity for "until cleared". */
  times?: number;
  /** Seconds, sent as the retry-after header. */
  retryAfter?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Delay before answering (or before the normal handler runs when no status is given). */
  latencyMs?: number;
  /**
   * The normal handler runs (its effect happens), then the answer is held this long: a client
   * killed meanwhile never learns that its request was accepted.
   */
  holdResponseMs?: number;
  /**
   * Held until this settles, then handled normally (after any latency): a test decides exactly
   * when a killed client's request takes effect, relative to what a restarted process does.
   */
  gate?: Promise<unknown>;
}

export interface FaultHit {
  status: number | null;
  body: unknown;
  headers: Record<string, string>;
  latencyMs: number;
  holdResponseMs: number;
  gate: Promise<unknown> | null;
}

interface Fault extends FaultSpec {
  remaining: number;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

export class Faults {
  private faults: Fault[] = [];

  inject(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** 403 with retry-after and GitHub's secondary-rate-limit message (what plugin-throttling detects). */
  secondaryRateLimit(
    options: { method?: string; path?: RegExp | string; times?: number; retryAfter?: number } = {},
  ): void {
    this.inject({
      ...options,
      status: 403,
      retryAfter: options.retryAfter ?? 1,
      body: {
        message: SECONDARY_RATE_LIMIT_MESSAGE,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
    });
  }

  /** Primary rate limit exhausted: 403 with x-ratelimit-remaining 0 and a reset `resetInSeconds` away. */
  primaryRateLimit(
    options: {
      method?: string;
      path?: RegExp | string;
      times?: number;
      resetInSeconds?: number;
      status?: 403 | 429;
    } = {},
  ): void {
    const reset = Math.ceil(Date.now() / 1000) + (options.resetInSeconds ?? 60);
    this.inject({
      method: options.method,
      path: options.path,
      times: options.times,
      status: options.status ?? 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-used': '5000',
      },
      body: {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
      },
    });
  }

  latency(ms: number, options: { method?: string; path?: RegExp | string; times?: number } = {}): void {
    this.inject({ ...options, latencyMs: ms, times: options.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string): FaultHit | null {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f, method, path));
    if (!fault) return null;
    fault.remaining -= 1;
    const headers = {
      ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
      ...fault.headers,
    };
    const body =
      fault.body ??
      (fault.status
        ? { message: `injected ${fault.status}`, documentation_url: 'https://docs.github.com/rest' }
        : undefined);
    return {
      status: fault.status ?? null,
      body,
      headers,
      latencyMs: fault.latencyMs ?? 0,
      holdResponseMs: fault.holdResponseMs ?? 0,
      gate: fault.gate ?? null,
    };
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}
