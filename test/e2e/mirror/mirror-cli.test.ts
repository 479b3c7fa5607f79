import { describe, expect, it } from 'vitest';
import { SOURCE, TARGET, diverge, mirrorWorld, refsOf, sourceCommit, targetCommit } from './mirror-world.js';

describe(
  'mirror: upstream-sync sync --pipeline occ (real process, GitHub stand-in, real repositories)',
  { timeout: 240_000 },
  () => {
    it('fast-forward with tags: the target gets the source head and the matching tags, nothing forced', async () => {
      const w = await mirrorWorld();
      const s1 = await sourceCommit(w.sandbox, { 'a.c': '1\n' }, 'feat: a');
      await w.sandbox.createTag(SOURCE, 'v1.0.0', s1, { message: 'release 1.0.0' });
      const s2 = await sourceCommit(w.sandbox, { 'b.c': '2\n' }, 'feat: b');
      await w.sandbox.createTag(SOURCE, 'v1.1.0', s2);
      await w.sandbox.createTag(SOURCE, 'nightly-1', s2);

      const run = await w.sync();
      expect(run.code).toBe(0);
      expect(run.json).toEqual([
        {
          pipeline: 'occ',
          kind: 'mirror',
          outcome: 'fast-forwarded',
          sourceSha: s2,
          targetSha: w.base,
          targetShaAfter: s2,
          ahead: 2,
          behind: 0,
          tags: { pushed: ['v1.0.0', 'v1.1.0'], conflicting: [] },
          report: {
            sourceOnly: [
              { sha: s2, subject: 'feat: b' },
              { sha: s1, subject: 'feat: a' },
            ],
            targetOnly: [],
            files: ['a.c', 'b.c'],
          },
          dryRun: false,
        },
      ]);
      expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s2);
      // Annotated tags arrive as the same tag object; tags outside the glob stay behind.
      const sourceTags = (await refsOf(w.sandbox, SOURCE, 'refs/tags/'))
        .split('\n')
        .filter((l) => l.startsWith('refs/tags/v'));
      expect((await refsOf(w.sandbox, TARGET, 'refs/tags/')).trim().split('\n')).toEqual(sourceTags);
      expect(w.sandbox.unexpectedRequests()).toEqual([]);
    });

    it('up to date: zero mutating requests, no report', async () => {
      const w = await mirrorWorld();
      await w.sandbox.createTag(SOURCE, 'v0.1.0', w.base);
      await w.sandbox.createTag(TARGET, 'v0.1.0', w.base);
      const run = await w.sync();
      expect(run.code).toBe(0);
      expect(run.json[0]).toMatchObject({
        outcome: 'up-to-date',
        sourceSha: w.base,
        targetSha: w.base,
        targetShaAfter: w.base,
        ahead: 0,
        behind: 0,
        tags: { pushed: [], conflicting: [] },
        report: null,
      });
      expect(w.sandbox.mutatingRequests()).toEqual([]);
    });

    it('diverged: a report with both sides (target-only first in the card), nothing pushed, exit 0', async () => {
      const w = await mirrorWorld();
      const { s1, t1 } = await diverge(
        w.sandbox,
        { files: { 'src/core.c': 'int a = 1;\nint b = 20;\nint c = 3;\n' }, message: 'fix: b' },
        {
          files: { 'src/core.c': 'int a = 1;\nint b = 200;\nint c = 3;\n', 'cogpy.md': 'x\n' },
          message: 'cogpy: own change',
        },
      );
      const refsBefore = await refsOf(w.sandbox, TARGET);
      const run = await w.sync();
      expect(run.code).toBe(0);
      expect(run.json[0]).toMatchObject({
        outcome: 'diverged',
        sourceSha: s1,
        targetSha: t1,
        targetShaAfter: t1,
        ahead: 1,
        behind: 1,
        report: {
          sourceOnly: [{ sha: s1, subject: 'fix: b' }],
          targetOnly: [{ sha: t1, subject: 'cogpy: own change' }],
          files: ['cogpy.md', 'src/core.c'],
        },
      });
      expect(w.sandbox.mutatingRequests()).toEqual([]);
      expect(await refsOf(w.sandbox, TARGET)).toBe(refsBefore);

      const human = await w.run(['sync', '--config', w.configFile, '--pipeline', 'occ']);
      expect(human.stdout.join('\n')).toContain('occ: diverged');

      // status: the state now and the last report, with its age; read-only.
      const status = await w.run(['status', '--config', w.configFile, '--pipeline', 'occ', '--json']);
      expect(status.code).toBe(0);
      expect(status.json[0]).toMatchObject({
        pipeline: 'occ',
        kind: 'mirror',
        state: 'diverged',
        source: { sha: s1 },
        target: { sha: t1 },
        lastRun: {
          outcome: 'diverged',
          ahead: 1,
          behind: 1,
          ageSeconds: expect.any(Number),
          report: {
            targetOnly: [{ sha: t1, subject: 'cogpy: own change', author: 'Cogpy Dev <dev@cogpy.test>' }],
            conflicts: ['src/core.c'],
          },
        },
        history: [{ outcome: 'diverged' }, { outcome: 'diverged' }],
        last30Days: { runs: 2, successRate: 1, divergenceRate: 1 },
      });
      const text = await w.run(['status', '--config', w.configFile, '--pipeline', 'occ']);
      expect(text.stdout.join('\n')).toContain('a merge would conflict on: src/core.c');
      expect(w.sandbox.mutatingRequests()).toEqual([]);
    });

    it('target ahead: reported, nothing pushed, exit 0', async () => {
      const w = await mirrorWorld();
      const t1 = await targetCommit(w.sandbox, { 'x.c': '1\n' }, 'cogpy: x');
      const run = await w.sync();
      expect(run.code).toBe(0);
      expect(run.json[0]).toMatchObject({ outcome: 'target-ahead', ahead: 0, behind: 1, targetShaAfter: t1 });
      expect(w.sandbox.mutatingRequests()).toEqual([]);
      // --merge on a target ahead: the target already has every source commit; refused, nothing changed.
      const merge = await w.sync('--merge');
      expect(merge.json[0]).toMatchObject({ outcome: 'refused', refused: { reason: 'nothing-to-merge' } });
      expect(w.sandbox.mutatingRequests()).toEqual([]);
    });

    it('a tag that exists on the target at another commit is reported and never overwritten, not even by --force', async () => {
      const w = await mirrorWorld();
      const s1 = await sourceCommit(w.sandbox, { 'a.c': '1\n' }, 'feat: a');
      await w.sandbox.createTag(SOURCE, 'v2.0.0', s1);
      await w.sandbox.createTag(TARGET, 'v2.0.0', w.base);
      const run = await w.sync();
      expect(run.json[0]).toMatchObject({ outcome: 'fast-forwarded', tags: { pushed: [], conflicting: ['v2.0.0'] } });
      expect((await w.sandbox.git(TARGET, ['rev-parse', 'refs/tags/v2.0.0'])).trim()).toBe(w.base);

      const forced = await w.sync('--force');
      expect(forced.json[0]).toMatchObject({ outcome: 'up-to-date', tags: { pushed: [], conflicting: ['v2.0.0'] } });
      expect((await w.sandbox.git(TARGET, ['rev-parse', 'refs/tags/v2.0.0'])).trim()).toBe(w.base);
    });

    it('--dry-run: says what a run would do, with zero mutating requests', async () => {
      const w = await mirrorWorld();
      const s1 = await sourceCommit(w.sandbox, { 'a.c': '1\n' }, 'feat: a');
      await w.sandbox.createTag(SOURCE, 'v1.0.0', s1);
      const run = await w.sync('--dry-run');
      expect(run.code).toBe(0);
      expect(run.json[0]).toMatchObject({
        outcome: 'fast-forwarded',
        dryRun: true,
        targetSha: w.base,
        targetShaAfter: s1,
        tags: { pushed: ['v1.0.0'], conflicting: [] },
      });
      expect(w.sandbox.mutatingRequests()).toEqual([]);
      expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(w.base);
    });
  },
);
