import { describe, expect, it } from 'vitest';
import { FORK, UPSTREAM, resolveWorld, type Scenario } from './resolve-world.js';

// The history layer inside the real resolve job. Upstream fixed litellm/x.py on main and backported
// the fix to the v1.81 release branch (v1.81.1-stable); the bot synced v1.81.1 into carto/main.
// v1.82.0 comes from main, which changed the same line again. The merge base is v1.81.0, so git
// conflicts on x.py, and the fork's file is upstream's own fixed version: a stale fork side. The
// only fork-side commit on the path is upstream's backport, which the earlier sync fetched.

const x = (n: number) => `def f():\n    return ${n}\n\n\ndef g():\n    return "g"\n`;

const scenario: Scenario = {
  base: { 'litellm/x.py': x(1) },
  fork: { 'carto.md': 'CARTO\n' },
  upstream: { 'README.md': 'v1.81.0\n' },
};

describe('history layer in the resolve job', () => {
  it("takes upstream's file where the fork carries an upstream version, naming the upstream commit matched", async () => {
    const w = await resolveWorld(scenario, { pipeline: { resolution: { llm: { enabled: false } } } });
    const release181 = (await w.sandbox.branchSha(UPSTREAM, 'main'))!;
    const backport = await w.sandbox.pushCommit(UPSTREAM, {
      branch: 'release-1.81',
      from: release181,
      files: { 'litellm/x.py': x(2) },
      message: 'fix: f returns 2 (#1004)',
    });
    await w.sandbox.addRelease(UPSTREAM, {
      tag: 'v1.81.1-stable',
      target: backport,
      publishedAt: '2026-02-10T00:00:00Z',
    });
    await w.sync();
    const first = w.sandbox.pulls(FORK).at(-1)!;
    await w.sandbox.mergePullAs(FORK, first.number, 'carto-dev', { method: 'merge' });
    expect(await w.sandbox.git(FORK, ['show', 'carto/main:litellm/x.py'])).toBe(x(2));

    const fix = await w.sandbox.pushCommit(UPSTREAM, {
      branch: 'main',
      files: { 'litellm/x.py': x(2) },
      message: 'fix: f returns 2 (#1003)',
    });
    const next = await w.sandbox.pushCommit(UPSTREAM, {
      branch: 'main',
      files: { 'litellm/x.py': x(4) },
      message: 'feat: f returns 4 (#1005)',
    });
    await w.sandbox.addRelease(UPSTREAM, { tag: 'v1.82.0-stable', target: next, publishedAt: '2026-03-01T00:00:00Z' });
    await w.sync();

    const pr = w.sandbox.pulls(FORK).at(-1)!;
    expect(pr.number).not.toBe(first.number);
    const done = await w.latestResolve();
    expect(done.outcome).toBe('resolved');
    const log = w.services.resolver.decisions(FORK, pr.number, done.headSha!);
    expect(log.filter((r) => r.path === 'litellm/x.py')).toEqual([
      expect.objectContaining({
        layer: 'structure',
        by: 'stale-fork-side',
        rationale: expect.stringContaining(`upstream's own version at ${fix.slice(0, 10)}`),
      }),
    ]);
    const head = (await w.sandbox.branchSha(FORK, pr.headRef))!;
    expect(await w.sandbox.git(FORK, ['show', `${head}:litellm/x.py`])).toBe(x(4));
    expect(await w.sandbox.git(FORK, ['show', `${head}:carto.md`])).toBe('CARTO\n');
  });
});
