import { request } from 'node:http';
import { Writable } from 'node:stream';
import { Webhooks } from '@octokit/webhooks';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubWebhooks } from '../../src/web/github-webhooks.js';
import { createMetrics } from '../../src/web/metrics.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { MemoryDeliveries } from '../helpers/memory-deliveries.js';

// Issue 13 item 5 (webhooks): a large forged POST is refused without parsing or logging it, a
// body over GitHub's 25 MB cap is refused before it is read, and a source that keeps failing is
// refused outright for a while.

const SECRET = 'webhook-secret-for-tests';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { now?: () => number } = {}) {
  const lines: string[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const handled: string[] = [];
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = createGitHubWebhooks({
    secret: SECRET,
    deliveries: new MemoryDeliveries(),
    log,
    metrics,
    intake: { maxFailuresPerWindow: 3, windowMs: 60_000, ...(options.now ? { now: options.now } : {}) },
  });
  receiver.on('pull_request', async (event) => void handled.push(event.id));
  server = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    log,
    metrics,
    webhooks: receiver,
    health: () => ({ ok: true, checks: {} }),
  });
  return { url: server.url, lines, handled };
}

async function post(url: string, id: string, body: string, signature?: string) {
  return fetch(`${url}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': id,
      'x-hub-signature-256': signature ?? (await new Webhooks({ secret: SECRET }).sign(body)),
    },
    body,
  });
}

const FORGED = `sha256=${'0'.repeat(64)}`;

describe('webhook intake', () => {
  it('refuses a 20 MB forged delivery without parsing or logging its payload', async () => {
    const w = await start();
    const marker = 'PAYLOAD-MARKER';
    const body = JSON.stringify({ action: 'opened', junk: `${marker}${'x'.repeat(20 * 1024 * 1024)}` });
    const res = await post(w.url, 'forged-1', body, FORGED);
    expect(res.status).toBe(400);
    expect(w.handled).toEqual([]);
    const logged = w.lines.join('');
    expect(logged).not.toContain(marker);
    expect(Math.max(...w.lines.map((l) => l.length))).toBeLessThan(2000);
    // A signed delivery still goes through.
    expect((await post(w.url, 'ok-1', JSON.stringify({ action: 'opened' }))).status).toBe(200);
    expect(w.handled).toEqual(['ok-1']);
  });

  it('refuses a body declared larger than 25 MB before reading it', async () => {
    const w = await start();
    const { port } = new URL(w.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/webhooks/github',
          headers: {
            'content-type': 'application/json',
            'content-length': String(26 * 1024 * 1024),
            'x-github-event': 'pull_request',
            'x-github-delivery': 'big-1',
            'x-hub-signature-256': FORGED,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Only the first kilobyte is ever sent: the answer must not wait for the rest.
      req.write('{"a":"'.padEnd(1024, 'x'));
    });
    expect(status).toBe(413);
    expect(w.handled).toEqual([]);
  });

  it('refuses a source that keeps failing, and lets it back in after the window', async () => {
    let now = 1_000_000;
    const w = await start({ now: () => now });
    for (let i = 0; i < 3; i++) expect((await post(w.url, `f-${i}`, '{}', FORGED)).status).toBe(400);
    const good = JSON.stringify({ action: 'opened' });
    expect((await post(w.url, 'good-1', good)).status).toBe(429);
    expect(w.handled).toEqual([]);
    now += 61_000;
    expect((await post(w.url, 'good-2', good)).status).toBe(200);
    expect(w.handled).toEqual(['good-2']);
  });
});
