import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhooks } from '@octokit/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { seedLitellm, startGitHub } from './fixture.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function receiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, received };
}

const SECRET = 'webhook-secret-for-tests';

describe('webhook deliveries', () => {
  it('signs every delivery so that @octokit/webhooks verify() accepts it, and only with the right secret', async () => {
    const hook = await receiver();
    const { sandbox, github } = await startGitHub({ webhook: { url: hook.url, secret: SECRET } });
    await seedLitellm(sandbox);
    await sandbox.webhooksSettled();
    expect(hook.received.length).toBeGreaterThan(0);
    const right = new Webhooks({ secret: SECRET });
    const wrong = new Webhooks({ secret: 'another-secret' });
    for (const { headers, body } of hook.received) {
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(await right.verify(body, String(headers['x-hub-signature-256']))).toBe(true);
      expect(await wrong.verify(body, String(headers['x-hub-signature-256']))).toBe(false);
    }
    expect(sandbox.deliveries.every((d) => d.status === 202)).toBe(true);
    await github.getRepo('CartoDB/litellm');
  });

  it('emits pull_request opened/labeled/closed(merged), release published, push and check suite completion', async () => {
    const hook = await receiver();
    const { sandbox, github } = await startGitHub();
    const seed = await seedLitellm(sandbox);
    sandbox.configureWebhook({ url: hook.url, secret: SECRET });
    await sandbox.createBranch('CartoDB/litellm', 'upstream-sync/v1.81.0-stable', seed.v2);
    const pr = await github.createPull('CartoDB/litellm', {
      title: 'sync',
      head: 'upstream-sync/v1.81.0-stable',
      base: 'carto/main',
      body: '',
    });
    await github.addLabels('CartoDB/litellm', pr.number, ['upstream-sync']);
    await sandbox.setCheckRun('CartoDB/litellm', pr.headSha, { name: 'lint', conclusion: 'success' });
    await github.mergePull('CartoDB/litellm', pr.number, { sha: pr.headSha });
    await github.createRelease('CartoDB/litellm', {
      tag: 'v1.81.0-carto.1.0.0',
      name: 'v1.81.0-carto.1.0.0',
      body: 'notes',
      targetCommitish: 'carto/main',
    });
    await sandbox.webhooksSettled();

    const events = hook.received.map(
      ({ headers, body }) =>
        `${String(headers['x-github-event'])}:${String((JSON.parse(body) as { action?: string }).action ?? '')}`,
    );
    expect(events).toEqual([
      'pull_request:opened',
      'pull_request:labeled',
      'check_run:completed',
      'check_suite:completed',
      'pull_request:closed',
      'push:',
      'push:',
      'release:created',
      'release:published',
    ]);
    const closed = JSON.parse(hook.received[4]!.body) as {
      pull_request: { merged: boolean; merge_commit_sha: string };
      repository: { full_name: string };
    };
    expect(closed.pull_request.merged).toBe(true);
    expect(closed.repository.full_name).toBe('CartoDB/litellm');
    const labeled = JSON.parse(hook.received[1]!.body) as { label: { name: string } };
    expect(labeled.label.name).toBe('upstream-sync');
  });

  it('redelivers with the same delivery id (what a receiver must de-duplicate)', async () => {
    const hook = await receiver();
    const { sandbox } = await startGitHub({ webhook: { url: hook.url, secret: SECRET } });
    await sandbox.createRepo('CartoDB/litellm');
    await sandbox.pushCommit('CartoDB/litellm', { branch: 'main', files: { a: 'a' }, message: 'a' });
    await sandbox.webhooksSettled();
    sandbox.redeliver(sandbox.deliveries[0]!.id);
    await sandbox.webhooksSettled();
    expect(hook.received.map((r) => r.headers['x-github-delivery'])).toEqual([
      sandbox.deliveries[0]!.id,
      sandbox.deliveries[0]!.id,
    ]);
  });

  it('records a delivery the receiver could not take', async () => {
    const { sandbox } = await startGitHub({ webhook: { url: 'http://127.0.0.1:9/unreachable', secret: SECRET } });
    await sandbox.createRepo('CartoDB/litellm');
    await sandbox.pushCommit('CartoDB/litellm', { branch: 'main', files: { a: 'a' }, message: 'a' });
    await sandbox.webhooksSettled();
    expect(sandbox.deliveries[0]).toMatchObject({ event: 'push', status: null });
    expect(sandbox.deliveries[0]!.error).toBeTruthy();
  });
});
