import { describe, expect, it } from 'vitest';
import { ALICE, OPS_CHANNEL } from '../slack/fixtures.js';
import { publishRelease } from '../pipelines/release-sync/harness.js';
import { appWorld } from '../e2e/start/app-world.js';

// /healthz is liveness (event loop, database), /readyz is readiness (Slack connected, GitHub
// credentials, schedule, outbox, cards reaching their channel), 503 naming the failing part.

type Report = { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> };

const readiness = async (w: { get(path: string): Promise<{ body: string }> }): Promise<Report> =>
  JSON.parse((await w.get('/readyz')).body) as Report;

describe('/healthz and /readyz', () => {
  it('both 200 when everything works; /healthz names only the process parts', async () => {
    const w = await appWorld();
    const live = await w.get('/healthz');
    expect(live.status).toBe(200);
    expect(Object.keys((JSON.parse(live.body) as Report).checks).sort()).toEqual(['database', 'eventLoop']);
    const ready = await w.until(async () => {
      const r = await w.get('/readyz');
      return r.status === 200 ? (JSON.parse(r.body) as Report) : null;
    }, 'ready');
    expect(ready.checks.slack).toEqual({ ok: true, detail: 'socket connected' });
    expect(Object.keys(ready.checks).sort()).toEqual(['channels', 'github', 'outbox', 'scheduler', 'slack', 'storage']);
  });

  it('a reconnecting socket is ready within the grace period and not after it; liveness stays 200', async () => {
    let now = Date.now();
    const w = await appWorld({ health: { now: () => now, socketGraceMs: 30_000 } });
    await w.until(async () => (await w.get('/readyz')).status === 200, 'ready');
    w.slack.faults.outage();
    w.slack.disconnect({ abrupt: true });
    const during = await w.until(async () => {
      const r = JSON.parse((await w.get('/readyz')).body) as Report;
      return r.checks.slack!.detail.startsWith('socket reconnecting') ? r : null;
    }, 'the socket to be reconnecting');
    expect(during.checks.slack!.ok).toBe(true);
    now += 31_000;
    const late = await w.get('/readyz');
    expect(late.status).toBe(503);
    const body = JSON.parse(late.body) as Report;
    expect(body.ok).toBe(false);
    expect(body.checks.slack).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^socket reconnecting for 3\ds/),
    });
    expect((await w.get('/healthz')).status).toBe(200);
    w.slack.faults.endOutage();
    await w.until(async () => (await w.get('/readyz')).status === 200, 'ready again after the outage');
  });

  it('after an outage that took the Web API down too, the socket comes back (the client alone would give up)', async () => {
    // A client whose apps.connections.open retries are spent gives up at the first refusal. With
    // retries left it would come back by itself, racing the watchdog (both act ~300 ms after the
    // drop), and the watchdog's line would be there or not by chance.
    const w = await appWorld({ socketStallMs: 300, reconnectRetries: 0 });
    // /readyz is 200 while a socket reconnects within its grace period: wait for the socket itself.
    const connected = async () => (await readiness(w)).checks.slack?.detail === 'socket connected';
    await w.until(connected, 'connected');
    // Counted here, not assumed: a short ping timeout under load may already have reconnected once.
    const connections = w.slack.connectionCount;
    const before = w.slack.calls.length;
    w.slack.faults.outage({ webApi: true });
    w.slack.disconnect({ abrupt: true });
    await w.until(
      () => w.slack.calls.slice(before).some((c) => c.method === 'apps.connections.open' && c.status === 503),
      'a refused apps.connections.open',
    );
    w.slack.faults.endOutage();
    await w.slack.waitForConnection(connections + 1, 20_000);
    await w.until(connected, 'connected again');
    expect(w.logs.some((l) => l.msg === 'Slack socket stopped reconnecting; starting it again')).toBe(true);
  });

  it('a bot not in the channel: the dropped card is logged once at error level with the fix, and /readyz says so', async () => {
    const w = await appWorld({ member: false });
    await publishRelease(w.github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: ALICE,
      channel_id: OPS_CHANNEL,
    });
    const ready = await w.until(async () => {
      const r = await w.get('/readyz');
      return r.status === 503 ? (JSON.parse(r.body) as Report) : null;
    }, '/readyz to report the channel');
    expect(ready.checks.channels).toEqual({
      ok: false,
      detail: `not_in_channel: cards for ${OPS_CHANNEL} were dropped; invite the bot: /invite @upstream-sync in <#${OPS_CHANNEL}>`,
    });
    // More posts to the channel fail the same way; the error is logged once.
    await w.until(() => w.app.services.slack.outbox.counts().pending === 0, 'the outbox to settle');
    const errors = w.logs.filter(
      (l) => l.msg === 'the bot is not in the channel: its messages there are dropped until it is invited',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      level: 50,
      channel: OPS_CHANNEL,
      fix: `invite the bot: /invite @upstream-sync in <#${OPS_CHANNEL}>`,
    });
  });
});
