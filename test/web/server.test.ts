import { Webhooks } from '@octokit/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { createGitHubWebhooks } from '../../src/web/github-webhooks.js';
import { createMetrics } from '../../src/web/metrics.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { MemoryDeliveries } from '../helpers/memory-deliveries.js';

const SECRET = 'webhook-secret-for-tests';

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: (name: string) => Promise<void>) {
  const deliveries = new MemoryDeliveries();
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = createGitHubWebhooks({ secret: SECRET, deliveries, log: silentLogger(), metrics });
  receiver.on('pull_request.closed', async (event) => handler(event.name));
  server = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    log: silentLogger(),
    metrics,
    webhooks: receiver,
    health: () => ({ ok: true, checks: { store: { ok: true } } }),
  });
  return { deliveries, metrics, url: server.url };
}

async function deliver(url: string, id: string, payload: object, signature?: string) {
  const body = JSON.stringify(payload);
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

const closed = {
  action: 'closed',
  number: 7,
  pull_request: { number: 7, merged: true },
  repository: { full_name: 'CartoDB/litellm' },
};

describe('web server', () => {
  it('handles a signed delivery once, however often GitHub delivers it', async () => {
    const seen: string[] = [];
    const { url, metrics } = await start(async (name) => void seen.push(name));
    expect((await deliver(url, 'd-1', closed)).status).toBe(200);
    expect((await deliver(url, 'd-1', closed)).status).toBe(200);
    expect(seen).toEqual(['pull_request']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('upstream_sync_webhook_deliveries_total{event="pull_request",result="duplicate"} 1');
  });

  it('rejects a forged signature without calling any handler', async () => {
    const seen: string[] = [];
    const { url, deliveries } = await start(async (name) => void seen.push(name));
    const forged = await new Webhooks({ secret: 'not-the-secret' }).sign(JSON.stringify(closed));
    const res = await deliver(url, 'd-2', closed, forged);
    expect(res.status).toBe(400);
    expect(seen).toEqual([]);
    expect(deliveries.ids.size).toBe(0);
  });

  it('forgets a delivery whose handler failed, so a redelivery is processed', async () => {
    let calls = 0;
    const { url } = await start(async () => {
      calls += 1;
      if (calls === 1) throw new Error('store unavailable');
    });
    expect((await deliver(url, 'd-3', closed)).status).toBe(500);
    expect((await deliver(url, 'd-3', closed)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('serves health and metrics, and 404 for anything else', async () => {
    const { url } = await start(async () => {});
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, checks: { store: { ok: true } } });
    const metrics = await fetch(`${url}/metrics`);
    expect(await metrics.text()).toContain('upstream_sync_jobs_finished_total');
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
