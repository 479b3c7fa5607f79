import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { ALICE, OPS_CHANNEL } from '../../slack/fixtures.js';
import { postgresSkipped, startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { tempDir } from '../../helpers/tmp.js';
import { START_CONFIG, startWorld, until, type StartWorld } from '../start/start-world.js';

// Two real `start` processes on one PostgreSQL database (store: { kind: postgres }), each with
// its own data directory (git cache), against the GitHub and Slack stand-ins. The Slack stand-in
// spreads Socket Mode envelopes over the open connections, each envelope to exactly one, as
// Slack does with an app's connections.

const CONFIG = `store: { kind: postgres }\n${START_CONFIG}`;

let server: TestPostgres | null = null;
beforeAll(async () => {
  if (!postgresSkipped) server = await startPostgres();
});
afterAll(() => server?.stop());

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function twoReplicas(w: StartWorld, url: string) {
  const replica = async (name: string) =>
    w.startBot({ UPSTREAM_SYNC_DATA_DIR: join(await tempDir(`replica-${name}-`), 'data'), DATABASE_URL: url });
  const a = await replica('a');
  const b = await replica('b');
  await until(() => w.slack.openConnections === 2, 'both replicas connected to Slack');
  w.slack.spreadEvents();
  return { a, b };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const syncCommand = { command: '/upstream-sync', text: 'sync', user_id: ALICE, channel_id: OPS_CHANNEL };

describe.skipIf(postgresSkipped)('two start replicas on one PostgreSQL', () => {
  it('50 simultaneous sync requests spread over both replicas make one job, one PR and one card; either answers status', async () => {
    const url = await server!.createDatabase();
    const w = await startWorld({ config: CONFIG });
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const { a, b } = await twoReplicas(w, url);

    const acks = await Promise.all(Array.from({ length: 50 }, () => w.slack.sendSlashCommand(syncCommand)));
    expect(acks).toHaveLength(50);
    // Each command reached exactly one connection, and both replicas got some.
    const commands = w.slack.envelopes.filter((e) => e.type === 'slash_commands');
    expect(commands).toHaveLength(50);
    expect(new Set(commands.map((e) => e.connection)).size).toBe(2);

    await until(() => w.sandbox.pulls(FORK).length === 1, 'the sync PR', 90_000);
    await eventually(
      async () =>
        (await query<{ state: string }>(url, "SELECT state FROM jobs WHERE kind = 'sync'"))[0]?.state === 'succeeded',
      'the sync job to succeed',
    );
    expect(await query(url, "SELECT state FROM jobs WHERE kind = 'sync'")).toEqual([{ state: 'succeeded' }]);

    const cards = await query(url, 'SELECT tag FROM slack_cards');
    expect(cards).toHaveLength(1);
    await until(() => w.slack.messages(OPS_CHANNEL).length >= 1, 'the card');
    // One card (the only top-level message) and no message posted twice by the two dispatchers.
    const posted = w.slack.messages(OPS_CHANNEL);
    expect(posted.filter((m) => m.threadTs === undefined)).toHaveLength(1);
    expect(new Set(posted.map((m) => m.text)).size).toBe(posted.length);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);

    const before = w.slack.ephemeralsFor(ALICE, OPS_CHANNEL).length;
    await w.slack.sendSlashCommand({ ...syncCommand, text: 'status' });
    await w.slack.sendSlashCommand({ ...syncCommand, text: 'status' });
    const statuses = w.slack.envelopes.filter(
      (e) => e.type === 'slash_commands' && (e.payload as { text?: string }).text === 'status',
    );
    expect(new Set(statuses.map((e) => e.connection)).size).toBe(2);
    await until(() => w.slack.ephemeralsFor(ALICE, OPS_CHANNEL).length >= before + 2, 'both status answers');

    // Health and metrics read the shared database too (the outbox depth).
    for (const replica of [a, b]) {
      const ready = await fetch(`${replica.web}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        checks: { outbox: { ok: true, detail: expect.stringMatching(/^\d+ pending/) }, storage: { ok: true } },
      });
      const metrics = await fetch(`${replica.web}/metrics`);
      expect(metrics.status).toBe(200);
    }

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect((await a.done).code).toBe(0);
    expect((await b.done).code).toBe(0);
  });

  it('kill -9 of the replica holding a sync: the other finishes it; one PR, one card', async () => {
    const url = await server!.createDatabase();
    const w = await startWorld({ config: CONFIG });
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const at = { method: 'POST', path: '/repos/CartoDB/litellm/pulls' };
    w.sandbox.faults.inject({ ...at, latencyMs: 3000, times: 1 });
    const { a, b } = await twoReplicas(w, url);
    await w.slack.sendSlashCommand(syncCommand);
    await until(() => w.sandbox.requests.some((r) => r.method === at.method && r.path === at.path), 'the PR request');

    const [running] = await query<{ lease_owner: string }>(
      url,
      "SELECT lease_owner FROM jobs WHERE kind = 'sync' AND state = 'running'",
    );
    const pid = Number(running!.lease_owner.split(':')[1]);
    const [holder, other] = a.child.pid === pid ? [a, b] : [b, a];
    expect(holder.child.pid).toBe(pid);
    holder.child.kill('SIGKILL');
    expect((await holder.done).signal).toBe('SIGKILL');

    await eventually(
      async () =>
        (await query<{ state: string }>(url, "SELECT state FROM jobs WHERE kind = 'sync'"))[0]?.state === 'succeeded',
      'the other replica to finish the sync',
    );
    const [job] = await query<{ lease_owner: string | null; attempts: number }>(
      url,
      "SELECT lease_owner, attempts FROM jobs WHERE kind = 'sync'",
    );
    expect(Number(job!.attempts)).toBe(2);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(await query(url, 'SELECT tag FROM slack_cards')).toHaveLength(1);
    await until(() => w.slack.messages(OPS_CHANNEL).length >= 1, 'the card');
    expect(w.slack.messages(OPS_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
    other.child.kill('SIGTERM');
    expect((await other.done).code).toBe(0);
  });

  it('a replica frozen mid-sync (SIGSTOP) loses the job when its lease runs out; woken, it writes nothing', async () => {
    const url = await server!.createDatabase();
    const w = await startWorld({ config: `store: { kind: postgres, leaseSeconds: 3 }\n${START_CONFIG}` });
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const at = { method: 'POST', path: '/repos/CartoDB/litellm/pulls' };
    w.sandbox.faults.inject({ ...at, latencyMs: 1000, times: 1 });
    const { a, b } = await twoReplicas(w, url);
    await w.slack.sendSlashCommand(syncCommand);
    await until(() => w.sandbox.requests.some((r) => r.method === at.method && r.path === at.path), 'the PR request');
    const [running] = await query<{ lease_owner: string }>(
      url,
      "SELECT lease_owner FROM jobs WHERE kind = 'sync' AND state = 'running'",
    );
    const pid = Number(running!.lease_owner.split(':')[1]);
    const [holder, other] = a.child.pid === pid ? [a, b] : [b, a];
    holder.child.kill('SIGSTOP');
    try {
      await eventually(
        async () =>
          (await query<{ state: string }>(url, "SELECT state FROM jobs WHERE kind = 'sync'"))[0]?.state === 'succeeded',
        'the other replica to take the job over and finish it',
      );
    } finally {
      holder.child.kill('SIGCONT');
    }
    const [job] = await query<{ lease_owner: string | null; attempts: string }>(
      url,
      "SELECT lease_owner, attempts FROM jobs WHERE kind = 'sync'",
    );
    expect(Number(job!.attempts)).toBe(2);
    // Woken, the old holder finds its lease gone: the job stays as the other replica left it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await query(url, "SELECT state, attempts FROM jobs WHERE kind = 'sync'")).toEqual([
      { state: 'succeeded', attempts: '2' },
    ]);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(await query(url, 'SELECT tag FROM slack_cards')).toHaveLength(1);
    expect(w.slack.messages(OPS_CHANNEL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
    for (const r of [holder, other]) r.child.kill('SIGTERM');
    expect((await other.done).code).toBe(0);
    expect((await holder.done).code).toBe(0);
  });
});
