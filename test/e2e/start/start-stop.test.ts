import Database from 'better-sqlite3';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { ALICE, OPS_CHANNEL } from '../../slack/fixtures.js';
import { startWorld, until } from './start-world.js';

// `start` never hangs and never crashes raw: a refused or unreachable Slack is one line and an
// exit code, and SIGTERM ends the process (exit 0) even while Slack is down or a job is running.

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error:'));
}

describe('upstream-sync start: failures at start', () => {
  it('a refused bot token: exit 2, one line naming SLACK_BOT_TOKEN, nothing left running', async () => {
    const w = await startWorld();
    const run = await w.run(['start', '--config', w.configFile], { SLACK_BOT_TOKEN: 'xoxb-not-a-real-token' });
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/^error: SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\): set the app's Bot User/),
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(w.slack.connectionCount).toBe(0);
  });

  it('a refused app token: exit 2, one line naming SLACK_APP_TOKEN (the process does not linger)', async () => {
    const w = await startWorld();
    const run = await w.run(['start', '--config', w.configFile], { SLACK_APP_TOKEN: 'xapp-1-not-a-real-token' });
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/^error: SLACK_APP_TOKEN was refused by Slack \(invalid_auth\): set an app-level token/),
    ]);
    expect(run.stderr).not.toContain('database connection is not open');
  });

  it("a doctor's fatal problem (a refused GitHub token): exit 2, one line with what to do", async () => {
    const w = await startWorld();
    const run = await w.run(['start', '--config', w.configFile], { GITHUB_TOKEN: 'ghp_refusedrefused' });
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      'error: GITHUB_TOKEN was refused by GitHub (401 Bad credentials): create a new token (or check the App id, key and installation) and set it',
    ]);
    expect(w.slack.connectionCount).toBe(0);
  });

  it('Slack unreachable: exit 1, one line saying so and which setting to check', async () => {
    const w = await startWorld();
    const port = await closedPort();
    const run = await w.run(['start', '--config', w.configFile], { SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      'error: Slack is unreachable while checking SLACK_BOT_TOKEN (ECONNREFUSED): check SLACK_API_URL, DNS and the proxy',
    ]);
  });
});

describe('upstream-sync start: SIGTERM', () => {
  it(
    'during a Slack outage (socket refused): keeps running through failed reconnects, then exits 0',
    { timeout: 90_000 },
    async () => {
      const w = await startWorld();
      const bot = await w.startBot();
      expect(bot.web).not.toBeNull();
      await until(() => w.slack.openConnections === 1, 'the socket');
      w.slack.faults.outage();
      w.slack.disconnect({ abrupt: true });
      // Each failed reconnect leaves a rejected promise in @slack/socket-mode that would crash an
      // unguarded process: after two of them it must still be there, and stop cleanly.
      await until(() => w.slack.refusedConnections >= 2, 'two refused reconnects', 45_000);
      expect(bot.child.exitCode).toBeNull();
      bot.child.kill('SIGTERM');
      const run = await bot.done;
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('"msg":"stopped"');
    },
  );

  it('during a Slack outage with the Web API down too: exits 0', async () => {
    const w = await startWorld();
    const bot = await w.startBot();
    await until(() => w.slack.openConnections === 1, 'the socket');
    const before = w.slack.calls.length;
    w.slack.faults.outage({ webApi: true });
    w.slack.disconnect({ abrupt: true });
    await until(
      () => w.slack.calls.slice(before).some((c) => c.method === 'apps.connections.open' && c.status === 503),
      'a refused apps.connections.open',
    );
    bot.child.kill('SIGTERM');
    const run = await bot.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('"msg":"stopped"');
  });

  it('in the middle of a sync: exits 0 with the job back in the queue, and the next start finishes it', async () => {
    const w = await startWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const at = { method: 'POST', path: '/repos/CartoDB/litellm/pulls' };
    w.sandbox.faults.inject({ ...at, latencyMs: 1500, times: 1 });
    const first = await w.startBot();
    await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: ALICE,
      channel_id: OPS_CHANNEL,
    });
    await until(() => w.sandbox.requests.some((r) => r.method === at.method && r.path === at.path), 'the PR request');
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(0);

    const db = new Database(join(w.dataDir, 'upstream-sync.db'), { readonly: true });
    const jobs = db.prepare("SELECT state, lease_owner FROM jobs WHERE kind = 'sync'").all() as Array<{
      state: string;
      lease_owner: string | null;
    }>;
    db.close();
    // Either the step finished before the runner let go, or the job went back to the queue; never
    // a job left "running" under a lease nobody will renew.
    expect(jobs).toHaveLength(1);
    expect(['queued', 'succeeded']).toContain(jobs[0]!.state);
    expect(jobs[0]!.lease_owner).toBeNull();

    const second = await w.startBot();
    await until(() => w.sandbox.pulls(FORK).length === 1, 'the sync PR');
    const db2 = new Database(join(w.dataDir, 'upstream-sync.db'), { readonly: true });
    await until(
      () =>
        (db2.prepare("SELECT state FROM jobs WHERE kind = 'sync'").get() as { state: string }).state === 'succeeded',
      'the sync job to succeed',
    );
    db2.close();
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
  });
});
