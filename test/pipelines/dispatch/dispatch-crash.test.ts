import { describe, expect, it } from 'vitest';
import { cliWorld } from '../../e2e/sync/cli-process.js';

// Invariant 6 for dispatch: a process killed between two deliveries is resumed with the ones left;
// nobody receives the same commit twice.

const SOURCE = 'anomalyco/web-dev-ecosystem';
const A = 'user/cousin-a';
const B = 'user/cousin-b';

const CONFIG = `
pipelines:
  - id: ecosystem
    kind: dispatch
    source: { repo: ${SOURCE}, branch: main }
    subscribers:
      - { repo: ${A}, subscriptions: ['features/a'] }
      - { repo: ${B}, subscriptions: ['features/b'] }
`;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('kill -9 in the middle of a dispatch run', { timeout: 300_000 }, () => {
  it('between two deliveries: the restart delivers the second once and never repeats the first', async () => {
    const w = await cliWorld({ config: CONFIG, seed: false });
    await w.sandbox.createRepo(SOURCE);
    await w.sandbox.pushCommit(SOURCE, {
      branch: 'main',
      message: 'one',
      files: { 'features/a/x': '1', 'features/b/y': '1' },
    });
    for (const repo of [A, B]) {
      await w.sandbox.createRepo(repo);
      await w.sandbox.pushCommit(repo, { branch: 'main', message: 'c', files: { 'README.md': repo } });
    }
    const sync = ['sync', '--config', w.configFile, '--json'];
    expect((await w.run(sync)).json[0]).toMatchObject({ outcome: 'baseline' });
    const head = await w.sandbox.pushCommit(SOURCE, {
      branch: 'main',
      message: 'two',
      files: { 'features/a/x': '2', 'features/b/y': '2' },
    });

    // B's dispatch is held (and then refused, so it never lands) while the process is killed.
    const path = `/repos/${B}/dispatches`;
    w.sandbox.faults.inject({ method: 'POST', path, status: 503, latencyMs: 3000 });
    const first = w.start(sync);
    await until(() => w.sandbox.requests.some((r) => r.method === 'POST' && r.path === path), 'the second delivery');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(w.sandbox.dispatches.map((d) => d.repo)).toEqual([A]);

    const again = await w.run(sync);
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({
      outcome: 'delivered',
      to: head,
      deliveries: [
        { subscriber: A, result: 'dispatched' },
        { subscriber: B, result: 'dispatched' },
      ],
    });
    expect(w.sandbox.dispatches.map((d) => [d.repo, d.payload.commit_sha])).toEqual([
      [A, head],
      [B, head],
    ]);
    expect((await w.run(sync)).json[0]).toMatchObject({ outcome: 'up-to-date', deliveries: [] });
    expect(w.sandbox.dispatches).toHaveLength(2);
  });

  // Issue 13: GitHub accepted B's repository_dispatch, the answer never came back (held), and the
  // process died. The restart finds the run B's workflow started, named after the idempotency key.
  it('after GitHub accepted a dispatch: the restart finds its run and sends no second one', async () => {
    const { w, sync, head, path } = await twoSubscribers();
    w.sandbox.setDispatchRunName(B, 'feature-update', (p) => `Update ${String(p.idempotency_key)}`);
    w.sandbox.faults.inject({ method: 'POST', path, holdResponseMs: 30_000 });
    await killWhen(w, sync, () => w.sandbox.dispatches.some((d) => d.repo === B));

    const again = await w.run(sync);
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({ outcome: 'delivered', to: head });
    const toB = w.sandbox.dispatches.filter((d) => d.repo === B);
    expect(toB).toHaveLength(1);
    expect(toB[0]!.payload.idempotency_key).toEqual(expect.stringMatching(/^us-[0-9a-f]{24}$/));
    expect(
      w.sandbox.requests.some(
        (r) => r.method === 'GET' && r.path === `/repos/${B}/actions/runs` && r.query?.includes('repository_dispatch'),
      ),
    ).toBe(true);
  });

  it('a subscriber whose runs do not show the key: the resend carries the same key to dedupe on', async () => {
    const { w, sync, path } = await twoSubscribers();
    w.sandbox.faults.inject({ method: 'POST', path, holdResponseMs: 30_000 });
    await killWhen(w, sync, () => w.sandbox.dispatches.some((d) => d.repo === B));
    expect((await w.run(sync)).code).toBe(0);
    const toB = w.sandbox.dispatches.filter((d) => d.repo === B);
    expect(toB).toHaveLength(2);
    expect(toB[1]!.payload.idempotency_key).toBe(toB[0]!.payload.idempotency_key);
    expect(w.sandbox.dispatches.filter((d) => d.repo === A)).toHaveLength(1);
  });
});

async function twoSubscribers() {
  const w = await cliWorld({ config: CONFIG, seed: false });
  await w.sandbox.createRepo(SOURCE);
  await w.sandbox.pushCommit(SOURCE, {
    branch: 'main',
    message: 'one',
    files: { 'features/a/x': '1', 'features/b/y': '1' },
  });
  for (const repo of [A, B]) {
    await w.sandbox.createRepo(repo);
    await w.sandbox.pushCommit(repo, { branch: 'main', message: 'c', files: { 'README.md': repo } });
  }
  const sync = ['sync', '--config', w.configFile, '--json'];
  expect((await w.run(sync)).json[0]).toMatchObject({ outcome: 'baseline' });
  const head = await w.sandbox.pushCommit(SOURCE, {
    branch: 'main',
    message: 'two',
    files: { 'features/a/x': '2', 'features/b/y': '2' },
  });
  return { w, sync, head, path: `/repos/${B}/dispatches` };
}

async function killWhen(w: Awaited<ReturnType<typeof cliWorld>>, args: string[], at: () => boolean): Promise<void> {
  const first = w.start(args);
  await until(at, 'the accepted dispatch');
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');
}
