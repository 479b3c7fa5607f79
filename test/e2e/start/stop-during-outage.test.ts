import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
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

  it('a Slack call left unanswered is aborted by stop(): the outbox loop ends with its message still queued', async () => {
    const w = await appWorld();
    await w.until(async () => (await w.get('/readyz')).status === 200, 'ready');
    w.slack.faults.delay('chat.postMessage', 120_000);
    await w.app.services.notifier.syncChanged(
      { pipeline: 'litellm', tag: 'v1.81.0-stable' },
      { stage: 'detected', fromVersion: '1.80.0', toVersion: '1.81.0' },
    );
    await w.until(() => w.slack.faults.delayed.includes('chat.postMessage'), 'a post held by Slack');

    await w.app.stop();
    // The call was given up on before the database closed: the row is queued for the next start,
    // its attempt counted (without the abort the call would still be in flight, the row untouched).
    const store = openStore(w.dataDir);
    try {
      const rows = store.db.prepare('SELECT op, state, attempts, last_error FROM slack_outbox').all();
      expect(rows).toEqual([
        { op: 'card', state: 'pending', attempts: 1, last_error: expect.stringContaining('request failed') },
      ]);
    } finally {
      store.close();
    }
  });
});
