import { describe, expect, it } from 'vitest';
import { appWorld } from './app-world.js';

// The in-process stop (what SIGTERM runs) during a Slack outage that took the Web API down too.
// The socket client reconnects with a retry loop of its own; stop() must end it, not merely stop
// waiting for it: no call to Slack after stop() has resolved, and no socket opened again when
// Slack comes back.

describe('stop during a Slack Web API outage', () => {
  it('resolves, and the socket client makes no call to Slack afterwards', async () => {
    const w = await appWorld();
    await w.until(async () => (await w.get('/readyz')).status === 200, 'ready');
    await w.slack.waitForConnection(1, 20_000);
    const before = w.slack.calls.length;
    w.slack.faults.outage({ webApi: true });
    w.slack.disconnect({ abrupt: true });
    // The client is now retrying apps.connections.open (every 50 ms in this world).
    await w.until(
      () => w.slack.calls.slice(before).some((c) => c.method === 'apps.connections.open' && c.status === 503),
      'a refused apps.connections.open',
    );

    await w.app.stop();
    const stoppedAt = w.slack.calls.length;
    const connections = w.slack.openConnections;
    w.slack.faults.endOutage();
    // Whatever reconnect was in flight has ended (without the stop reaching it, it would go on
    // retrying and, with Slack back, connect).
    await w.app.bot.slack.socketIdle();

    expect(w.slack.calls.slice(stoppedAt).map((c) => c.method)).toEqual([]);
    expect(connections).toBe(0);
    expect(w.slack.openConnections).toBe(0);
  });
});
