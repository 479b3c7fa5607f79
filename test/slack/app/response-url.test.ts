import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseUrlPoster } from '../../../src/slack/app/response-url.js';

// A kept-alive socket the server dropped while it sat idle in the pool: the next answer meets a
// reset before the server read it. The server here resets the second request on any socket, the
// way a connection closed under a reused socket looks to the client.

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function server(resetSecondOnSocket: boolean) {
  const seen = new Map<Socket, number>();
  const bodies: string[] = [];
  const s = createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (resetSecondOnSocket && n === 2) return req.socket.resetAndDestroy();
      bodies.push(body);
      res.end('ok');
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/r`, bodies, sockets: () => seen.size };
}

describe('ResponseUrlPoster', () => {
  it('sends an answer again on a new connection when its kept-alive socket was reset', async () => {
    const s = await server(true);
    const poster = new ResponseUrlPoster();
    await poster.post(s.url, { text: 'one' });
    await poster.post(s.url, { text: 'two' });
    expect(s.bodies).toEqual(['{"text":"one"}', '{"text":"two"}']);
    expect(s.sockets()).toBe(2);
    poster.close();
  });

  it('does not send again when a fresh connection fails', async () => {
    const s = await server(false);
    const poster = new ResponseUrlPoster();
    const port = Number(new URL(s.url).port);
    await new Promise((r) => servers.pop()!.close(r));
    await expect(poster.post(`http://127.0.0.1:${port}/r`, { text: 'x' })).rejects.toMatchObject({ code: 'network' });
    poster.close();
  });
});
