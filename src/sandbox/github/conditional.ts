import { createHash } from 'node:crypto';
import type { Reply } from './router.js';

// GitHub's conditional requests, as the stand-in plays them: every successful GET carries an
// ETag (a hash of the body it would send), and a request whose If-None-Match names that ETag is
// answered 304 with no body. A 304 is free: it is not charged to the rate limit, so the stand-in
// counts "counted requests" (what GitHub would charge) apart from the request log.

export function etagOf(body: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40)}"`;
}

/** Whether an If-None-Match header (a list, weak or strong, or `*`) names this ETag. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/** A GET's reply with its ETag, or a 304 when the client already holds this body. */
export function conditionalReply(method: string, ifNoneMatch: string | undefined, reply: Reply): Reply {
  if (method !== 'GET' || reply.status !== 200 || reply.body === undefined) return reply;
  const etag = etagOf(reply.body);
  const headers = { ...reply.headers, etag };
  if (matchesEtag(ifNoneMatch, etag)) return { status: 304, headers };
  return { ...reply, headers };
}

/**
 * The primary rate limit of each login, per hour window of the stand-in's clock. Off by default
 * (the header then says 4999 as before); a test or bench turns it on to watch the budget shrink.
 */
export class RateLimits {
  private readonly used = new Map<string, { window: number; used: number }>();
  limit: number | null = null;

  constructor(private readonly now: () => Date) {}

  private window(): number {
    return Math.floor(this.now().getTime() / 3_600_000);
  }

  charge(login: string): void {
    const window = this.window();
    const entry = this.used.get(login);
    if (!entry || entry.window !== window) this.used.set(login, { window, used: 1 });
    else entry.used += 1;
  }

  headers(login: string | null): Record<string, string> {
    const window = this.window();
    const reset = String((window + 1) * 3600);
    if (this.limit === null || login === null)
      return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': reset };
    const entry = this.used.get(login);
    const used = entry && entry.window === window ? entry.used : 0;
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': reset,
    };
  }
}
