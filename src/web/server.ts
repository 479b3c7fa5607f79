import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { GitHubWebhookReceiver } from './github-webhooks.js';
import type { Metrics } from './metrics.js';

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface WebServerOptions {
  host: string;
  port: number;
  log: Logger;
  metrics: Metrics;
  /** /healthz: liveness (the process itself). */
  health: () => HealthReport | Promise<HealthReport>;
  /** /readyz: readiness (doing its job: Slack connected, GitHub accepting the credentials, …). */
  ready?: () => HealthReport | Promise<HealthReport>;
  webhooks?: GitHubWebhookReceiver;
}

export interface WebServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (options.webhooks && path === options.webhooks.path) {
      // The middleware reads the raw body itself: the signature is over the exact bytes.
      await options.webhooks.middleware(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      const report = await options.health();
      send(res, report.ok ? 200 : 503, JSON.stringify(report));
      return;
    }
    if (req.method === 'GET' && path === '/readyz' && options.ready) {
      const report = await options.ready();
      send(res, report.ok ? 200 : 503, JSON.stringify(report));
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      send(res, 200, await options.metrics.registry.metrics(), options.metrics.registry.contentType);
      return;
    }
    send(res, 404, JSON.stringify({ error: `no route for ${req.method} ${path}` }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.log.error({ err }, 'http request failed');
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: 'internal error' }));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
