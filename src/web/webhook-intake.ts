import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

// The front door of POST /webhooks/github, before any byte is trusted. Octokit's middleware
// buffers the whole body as a string, parses it, and logs the payload when the signature fails:
// a 20 MB forged POST cost seconds of event loop and a 42 MB log line. Here:
// - the body is capped (GitHub never sends more than 25 MB): a larger Content-Length is refused
//   before reading, a stream that grows past it is cut off;
// - the HMAC is computed on the raw bytes as they arrive, compared in constant time, and JSON is
//   parsed only for a delivery whose signature is right;
// - a payload is never logged: only sizes, the event name, the delivery id and the source;
// - a source that keeps failing is refused (429) without reading its body.

export const GITHUB_MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface WebhookIntakeOptions {
  secret: string;
  log: Logger;
  maxBodyBytes?: number;
  /** Failed deliveries a source may send per window before it is refused. */
  maxFailuresPerWindow?: number;
  windowMs?: number;
  now?: () => number;
  /** Runs a verified delivery; a throw answers 500 (GitHub redelivers). */
  receive(delivery: { id: string; name: string; payload: unknown }): Promise<void>;
}

export type WebhookMiddleware = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function answer(res: ServerResponse, status: number, error: string | null, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(error ? { error } : { ok: true }));
}

/** Failures per source address in a sliding window (counts only: no timing in tests). */
class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  blocked(source: string): boolean {
    return this.recent(source).length >= this.max;
  }

  fail(source: string): void {
    const list = this.recent(source);
    list.push(this.now());
    this.failures.set(source, list);
    // Bounded memory under a flood from many addresses.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  private recent(source: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(source) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(source);
    else this.failures.set(source, list);
    return list;
  }
}

export function webhookIntake(options: WebhookIntakeOptions): WebhookMiddleware {
  const max = options.maxBodyBytes ?? GITHUB_MAX_BODY_BYTES;
  const limiter = new FailureLimiter(
    options.maxFailuresPerWindow ?? 10,
    options.windowMs ?? 60_000,
    options.now ?? Date.now,
  );

  return async (req, res) => {
    const source = req.socket.remoteAddress ?? 'unknown';
    const event = String(req.headers['x-github-event'] ?? '');
    const id = String(req.headers['x-github-delivery'] ?? '');
    const signature = String(req.headers['x-hub-signature-256'] ?? '');
    const log = options.log.child({ source, event: event.slice(0, 64), deliveryId: id.slice(0, 64) });
    const refuse = (status: number, reason: string, close: boolean): void => {
      limiter.fail(source);
      log.warn({ status, reason }, 'webhook refused');
      answer(res, status, reason, close);
      // Stop reading what the sender still pushes: the connection goes once the answer is out.
      if (close) res.on('finish', () => req.destroy());
    };

    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    if (limiter.blocked(source)) {
      log.warn('webhook refused: too many failed deliveries from this source');
      answer(res, 429, 'too many failed deliveries', true);
      res.on('finish', () => req.destroy());
      return;
    }
    if (!event || !id || !/^sha256=[0-9a-f]{64}$/.test(signature))
      return refuse(400, 'missing x-github-event, x-github-delivery or x-hub-signature-256', true);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > max) return refuse(413, `body larger than ${max} bytes`, true);

    const hmac = createHmac('sha256', options.secret);
    const chunks: Buffer[] = [];
    let size = 0;
    const complete = await new Promise<boolean>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          req.removeAllListeners('data');
          req.pause();
          resolve(false);
          return;
        }
        hmac.update(chunk);
        chunks.push(chunk);
      });
      req.on('end', () => resolve(true));
      req.on('error', () => resolve(false));
      req.on('aborted', () => resolve(false));
    });
    if (!complete) return refuse(413, `body larger than ${max} bytes, or cut short`, true);

    const expected = Buffer.from(`sha256=${hmac.digest('hex')}`);
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      chunks.length = 0;
      return refuse(400, 'signature does not match', false);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(400, 'body is not JSON', false);
    }
    log.debug({ bytes: size }, 'webhook verified');
    try {
      await options.receive({ id, name: event, payload });
      answer(res, 200, null);
    } catch {
      // The handler logged its own failure, with context and without the payload.
      answer(res, 500, 'handler failed');
    }
  };
}
