import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from './router.js';
import { checkRoutes } from './routes-checks.js';
import { commitRoutes } from './routes-commits.js';
import { gitDataRoutes } from './routes-git-data.js';
import { issueRoutes } from './routes-issues.js';
import { pullRoutes } from './routes-pulls.js';
import { releaseRoutes } from './routes-releases.js';
import type { Hub } from './hub.js';

// The HTTP plumbing of the stand-in: the REST routes it knows, and a loopback server.

export function buildRouter(hub: Hub): Router {
  const router = new Router();
  for (const add of [gitDataRoutes, commitRoutes, releaseRoutes, pullRoutes, issueRoutes, checkRoutes])
    add(router, hub);
  return router;
}

/** Listens on 127.0.0.1 with a random port; `handle` is looked up per request (it may be set after listening). */
export async function listenLoopback(
  handle: () => (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle()(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
