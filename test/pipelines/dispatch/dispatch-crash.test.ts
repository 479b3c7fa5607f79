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
});
