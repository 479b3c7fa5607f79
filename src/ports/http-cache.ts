// The conditional-request cache of the GitHub client: the last ETag and body GitHub sent for a
// GET, keyed by route and parameters, so the next identical GET can ask "changed since?" and a
// 304 (free: not charged to the rate limit) is answered from here.

export interface CachedResponse {
  etag: string;
  /** The parsed JSON body. */
  data: unknown;
  /** Response headers worth replaying (link, for pagination). */
  headers: Record<string, string>;
}

export interface HttpCache {
  get(key: string): CachedResponse | null;
  put(key: string, entry: CachedResponse): void;
}
