import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { GitExec } from '../../../src/adapters/git/git-exec.js';
import { staleForkSide } from '../../../src/core/resolve/history/stale-fork.js';
import { merge3 } from '../../../src/core/resolve/merge3.js';
import { ScratchRepo } from '../../../src/sandbox/scratch-repo.js';
import { GitUpstreamHistory, type GitRunner } from '../../../src/workflows/resolve/git-upstream-history.js';
import { tempDir } from '../../helpers/tmp.js';

// A fork that synced upstream once (so it carries upstream's v2 of the file), then upstream moved
// on to v3: the history port read from a real repository, and the layer's verdict on it.

const v = (n: number, extra = '') => `def f():\n    return ${n}\n\n\ndef g():\n    return "${n}"\n${extra}`;

async function world() {
  const repo = await ScratchRepo.init(await tempDir());
  const c1 = await repo.commit({ 'litellm/x.py': v(1), 'other.py': 'a\n' }, 'upstream: v1 (#1001)');
  const c2 = await repo.commit({ 'litellm/x.py': v(2) }, 'upstream: v2 (#1002)');
  await repo.checkout('fork', { create: true, from: c1 });
  await repo.commit({ 'other.py': 'carto\n' }, 'CARTO: own change elsewhere');
  await repo.merge(c2, 'sync: merge v2');
  await repo.checkout('main');
  const c3 = await repo.commit({ 'litellm/x.py': v(3) }, 'upstream: v3 (#1003)');
  const exec = new GitExec(pino({ level: 'silent' }));
  const run: GitRunner = (args, okCodes = [0]) => exec.run(args, { cwd: repo.dir, okCodes });
  return { repo, c1, c2, c3, run };
}

describe('upstream history from the git cache', () => {
  it("lists upstream's versions with contents and the fork's blob; the stale fork side is found", async () => {
    const w = await world();
    const h = await new GitUpstreamHistory({ upstream: w.c3, production: 'fork' }, w.run).historyOf('litellm/x.py');
    expect(h?.upstream.map((u) => u.commit)).toEqual([w.c3, w.c2, w.c1]);
    expect(h?.upstream[1]?.text).toBe(v(2));
    expect(h?.forkBlob).toBe((await w.repo.git(['rev-parse', 'fork:litellm/x.py'])).trim());
    expect(h?.fork.filter((c) => !c.syncCommit)).toEqual([]);
    const verdict = staleForkSide({ fork: v(2), segments: merge3(v(1), v(3), v(2)), history: h, rule: null });
    expect(verdict).toEqual({ kind: 'whole-file', commit: w.c2 });
  });

  it("marks the fork's own commits and cherry-picks of upstream commits", async () => {
    const w = await world();
    await w.repo.checkout('fork');
    const own = await w.repo.commit({ 'litellm/x.py': v(2, '# CARTO\n') }, 'CARTO: patch x');
    // A clean cherry-pick of an upstream commit on a file the fork did not touch otherwise.
    await w.repo.checkout('main');
    const c4 = await w.repo.commit({ 'litellm/y.py': 'y = 1\n' }, 'upstream: y (#1004)');
    const c5 = await w.repo.commit({ 'litellm/y.py': 'y = 2\n' }, 'upstream: y2 (#1005)');
    await w.repo.checkout('fork');
    await w.repo.git(['cherry-pick', c4]);
    const hx = await new GitUpstreamHistory({ upstream: c5, production: 'fork' }, w.run).historyOf('litellm/x.py');
    expect(hx?.fork.find((c) => c.commit === own)).toMatchObject({ upstreamCommit: false, syncCommit: false });
    const hy = await new GitUpstreamHistory({ upstream: c5, production: 'fork' }, w.run).historyOf('litellm/y.py');
    expect(hy?.fork).toHaveLength(1);
    expect(hy?.fork[0]).toMatchObject({ upstreamCommit: true, syncCommit: false });
    const verdict = staleForkSide({
      fork: 'y = 1\n',
      segments: merge3('', 'y = 2\n', 'y = 1\n'),
      history: hy,
      rule: null,
    });
    expect(verdict.kind).toBe('blocked');
  });

  it.each([
    { name: 'the same patch as the fix on main', steps: [2] },
    { name: 'a fix main made in two steps', steps: [15, 2] },
  ])(
    "counts an upstream backport an earlier sync brought in as upstream's, once that release's tag is known ($name)",
    async ({ steps }) => {
      // Upstream fixed x.py on main and backported the result in one commit to the release branch of
      // v1.80.1; the fork synced v1.80.1; v1.81.0 comes from main. The merge base is before the fix,
      // so git conflicts, and the backport is the only fork-side commit on the path.
      const repo = await ScratchRepo.init(await tempDir());
      const a = await repo.commit({ 'litellm/x.py': v(1), 'other.py': 'a\n' }, 'upstream: v1 (#1001)');
      for (const n of steps.slice(0, -1)) await repo.commit({ 'litellm/x.py': v(n) }, `upstream: step ${n} (#1002)`);
      const fixed = await repo.commit({ 'litellm/x.py': v(2) }, 'upstream: the fix (#1003)');
      await repo.checkout('release-1.80', { create: true, from: a });
      const backport = await repo.commit({ 'litellm/x.py': v(2) }, 'upstream: backport the fix (#1004)');
      await repo.checkout('fork', { create: true, from: a });
      await repo.commit({ 'other.py': 'carto\n' }, 'CARTO: own change elsewhere');
      await repo.merge(backport, 'sync: merge v1.80.1-stable tag');
      await repo.checkout('main');
      const c3 = await repo.commit({ 'litellm/x.py': v(3) }, 'upstream: v3 (#1005)');
      const exec = new GitExec(pino({ level: 'silent' }));
      const run: GitRunner = (args, okCodes = [0]) => exec.run(args, { cwd: repo.dir, okCodes });
      const segments = merge3(v(1), v(3), v(2));
      expect(segments.some((s) => s.kind === 'conflict')).toBe(true);
      const verdict = async () =>
        staleForkSide({
          fork: v(2),
          segments,
          history: await new GitUpstreamHistory({ upstream: c3, production: 'fork' }, run).historyOf('litellm/x.py'),
          rule: null,
        });
      // A fresh cache does not know v1.80.1: the backport looks like the fork's own change.
      expect((await verdict()).kind).toBe('blocked');
      await repo.git(['update-ref', 'refs/upstream/tags/v1.80.1-stable', backport]);
      expect(await verdict()).toEqual({ kind: 'whole-file', commit: fixed });
    },
  );
});
