import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { errorMessage, isAppError } from '../errors.js';
import { isDemoAction, runDemoAction, type SlashCommandSpec } from './demo-actions.js';
import { demoState, fingerprint, type DemoState } from './demo-state.js';
import type { DemoWorld } from './demo-world.js';

// The page's server: the page itself (plain HTML, CSS and JS files, no bundler), its state as
// JSON, server-sent events whenever a stand-in served something, and POST /api/<action> for what
// a person does. Listens on 127.0.0.1 only.

/** What GET /api/state and every server-sent event carry. */
export type DemoPageState = DemoState & { commands: SlashCommandSpec[] };

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/demo.css': 'demo.css',
  '/demo.js': 'demo.js',
  '/app.js': 'app.js',
  '/block-kit.js': 'block-kit.js',
  '/slack-pane.js': 'slack-pane.js',
  '/github-pane.js': 'github-pane.js',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};
const MAX_BODY = 256 * 1024;
const TICK_MS = 150;

/** src/demo/page next to this file (tsx), or found from dist/demo back in src (the built CLI). */
function pageDir(): string {
  const candidates = ['./page/', '../../src/demo/page/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? candidates[0]!;
}

/** The slash commands the Slack app declares (manifest.yml), with their usage hints. */
export async function manifestCommands(): Promise<SlashCommandSpec[]> {
  const file = fileURLToPath(new URL('../../manifest.yml', import.meta.url));
  const manifest = parse(await readFile(file, 'utf8')) as {
    features?: { slash_commands?: Array<{ command: string; usage_hint?: string; description?: string }> };
  };
  return (manifest.features?.slash_commands ?? []).map((c) => ({
    command: c.command,
    usageHint: c.usage_hint ?? '',
    description: c.description ?? '',
  }));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startDemoServer(world: DemoWorld, options: { port: number; host?: string }): Promise<DemoServer> {
  const dir = pageDir();
  const commands = await manifestCommands();
  const clients = new Set<ServerResponse>();
  let last = '';
  let lastPrint = '';
  let building: Promise<void> | null = null;

  const snapshot = async () => JSON.stringify({ ...(await demoState(world)), commands } satisfies DemoPageState);
  // Page actions that change nothing a stand-in counts (closing a modal) bump this instead.
  let actionsDone = 0;
  // Rebuilds the state when a stand-in served something, and pushes it when it differs.
  const refresh = async (): Promise<void> => {
    const print = `${fingerprint(world)}:${actionsDone}`;
    if (building || print === lastPrint) return;
    building = (async () => {
      try {
        lastPrint = print;
        const next = await snapshot();
        if (next === last) return;
        last = next;
        for (const c of clients) c.write(`event: state\ndata: ${next}\n\n`);
      } catch {
        lastPrint = ''; // a repository was busy: try again on the next tick
      }
    })();
    await building.finally(() => (building = null));
  };
  const ticker = setInterval(() => void refresh(), TICK_MS);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo.local');
    // A rebound DNS name pointing at 127.0.0.1 is another site: answer only to our own names.
    if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.headers.host ?? ''))
      return json(res, 421, { ok: false, error: 'unknown host' });
    const file = PAGE_FILES[url.pathname];
    if (req.method === 'GET' && file) {
      res.writeHead(200, { 'content-type': TYPES[file.split('.').pop()!]!, 'cache-control': 'no-store' });
      res.end(await readFile(`${dir}${file}`));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/state') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(await snapshot());
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      clients.add(res);
      req.on('close', () => clients.delete(res));
      res.write(`event: state\ndata: ${await snapshot()}\n\n`);
      return;
    }
    const action = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : '';
    if (req.method === 'POST' && isDemoAction(action)) {
      // Only the page may act: a cross-site form cannot send JSON without a preflight we never answer.
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { ok: false, error: 'send application/json' });
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (err) {
        return json(res, 400, { ok: false, error: errorMessage(err) });
      }
      try {
        const result = await runDemoAction(world, commands, action, body);
        json(res, 200, { ok: true, ...result });
      } catch (err) {
        json(res, isAppError(err, 'usage') ? 400 : 409, { ok: false, error: errorMessage(err) });
      } finally {
        actionsDone += 1;
      }
      return;
    }
    json(res, 404, { ok: false, error: `no route for ${req.method} ${url.pathname}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: errorMessage(err) });
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: async () => {
      clearInterval(ticker);
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
