import type { Octokit } from '@octokit/rest';
import type { HttpCache } from '../../ports.js';

// Conditional requests as one Octokit hook: the GETs a check repeats (repository, releases, refs,
// branches, tags, pulls, contents) go out with If-None-Match from the cache, and GitHub's 304
// (not charged to the rate limit) is answered with the cached body, as if it were the 200. Call
// sites change nothing. The hook wraps the retry and throttling plugins, so it sees the final
// answer of an attempt chain, never a retried half.

const CACHEABLE =
  /^\/repos\/[^/]+\/[^/]+(\/(releases|git\/ref|git\/refs|git\/matching-refs|pulls|contents|branches|tags)(\/.*)?)?$/;

/** Bodies above this stay out of the cache (a large file read is rare and not worth the row). */
const MAX_BODY_CHARS = 512 * 1024;

/** Response headers replayed with a cached body: pagination needs `link`. */
const KEPT_HEADERS = ['link', 'content-type'];

export interface ConditionalHooks {
  /** A cached body stood in for a 304. */
  onNotModified?: (url: string) => void;
}

interface Endpoint {
  method: string;
  url: string;
  headers: Record<string, string | number | undefined>;
}

/** The cache key of a GET: method, full URL (route and parameters, query included) and media type; null when not cached. */
export function conditionalKey(endpoint: Endpoint, apiPath: string): string | null {
  if (endpoint.method !== 'GET') return null;
  const url = new URL(endpoint.url);
  const path = url.pathname.startsWith(apiPath) ? url.pathname.slice(apiPath.length) || '/' : url.pathname;
  if (!CACHEABLE.test(path)) return null;
  return `GET ${url.host}${url.pathname}${url.search} ${String(endpoint.headers.accept ?? '')}`;
}

export function installConditionalRequests(octokit: Octokit, cache: HttpCache, hooks: ConditionalHooks = {}): void {
  octokit.hook.wrap('request', async (request, options) => {
    const endpoint = octokit.request.endpoint.parse(options as never) as Endpoint;
    const apiPath = new URL(String(options.baseUrl)).pathname.replace(/\/+$/, '');
    const key = conditionalKey(endpoint, apiPath);
    if (!key) return request(options);
    const cached = cache.get(key);
    // before-after-hook hands every hook the same options object (arguments to `request` are
    // ignored), so the header goes onto it; it is this request's own merged copy.
    if (cached) (options.headers as Record<string, string>)['if-none-match'] = cached.etag;
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      if (typeof etag === 'string' && response.status === 200) {
        const body = JSON.stringify(response.data);
        if (body !== undefined && body.length <= MAX_BODY_CHARS)
          cache.put(key, { etag, data: response.data, headers: kept(response.headers) });
      }
      return response;
    } catch (err) {
      if (!cached || (err as { status?: number }).status !== 304) throw err;
      hooks.onNotModified?.(endpoint.url);
      const live = (err as { response?: { headers?: Record<string, string>; url?: string } }).response;
      return {
        status: 200,
        url: live?.url ?? endpoint.url,
        headers: { ...live?.headers, ...cached.headers },
        data: cached.data,
      } as never;
    }
  });
}

function kept(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (typeof headers[name] === 'string') out[name] = headers[name];
  return out;
}
