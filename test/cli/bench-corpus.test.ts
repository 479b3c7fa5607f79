import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { ScratchRepo } from '../../src/sandbox/scratch-repo.js';
import { tempDir } from '../helpers/tmp.js';

// A fork with three upstream syncs, the ways they reach production in practice: a sync PR merged
// with a merge commit and fixed on the PR after the sync merge, a squash-merged sync PR (only its
// refs/pull/N/head keeps the merge), and a sync merged straight into production.

const lines = (tag: string, n = 6) => Array.from({ length: n }, (_, i) => `line ${i} ${i === 2 ? tag : ''}\n`).join('');

async function conflictedMerge(repo: ScratchRepo, rev: string, files: Record<string, string>, message: string) {
  await repo.git(['merge', '--no-commit', '--no-ff', rev]).catch(() => null);
  for (const [p, t] of Object.entries(files)) await writeFile(join(repo.dir, p), t);
  await repo.git(['add', '--all']);
  await repo.git(['commit', '--quiet', '-m', message]);
  return repo.head();
}

async function history() {
  const repo = await ScratchRepo.init(await tempDir(), 'main');
  await repo.commit({ 'x.py': lines('u1'), 'y.py': lines('u1'), 'z.py': lines('u1') }, 'upstream 1 (#1001)');
  await repo.tag('v1');
  await repo.checkout('carto/main', { create: true });
  await repo.commit({ 'x.py': lines('carto-x') }, 'CARTO: x feature');
  await repo.checkout('main');
  await repo.commit({ 'x.py': lines('u2') }, 'upstream 2 (#1002)');
  await repo.tag('v2');
  // Sync 1: branch from the tag, production merged into it, fixed on the PR, merged with a merge commit.
  await repo.checkout('sync/v2', { create: true, from: 'v2' });
  const s1 = await conflictedMerge(repo, 'carto/main', { 'x.py': lines('u2') }, 'sync: merge carto/main into v2');
  await repo.commit({ 'x.py': lines('u2 + carto-x') }, 'restore the CARTO x feature');
  await repo.checkout('carto/main');
  await repo.merge('sync/v2', 'Merge pull request #1 from sync/v2');
  await repo.commit({ 'y.py': lines('carto-y') }, 'CARTO: y feature');
  // Sync 2: squash-merged.
  await repo.checkout('main');
  await repo.commit({ 'y.py': lines('u3') }, 'upstream 3 (#1003)');
  await repo.tag('v3');
  await repo.checkout('sync/v3', { create: true, from: 'v3' });
  const s2 = await conflictedMerge(
    repo,
    'carto/main',
    { 'y.py': lines('u3 + carto-y') },
    'sync: merge carto/main into v3',
  );
  await repo.git(['update-ref', 'refs/pull/2/head', s2]);
  await repo.checkout('carto/main');
  await repo.git(['merge', '--squash', 'sync/v3']);
  await repo.git(['commit', '--quiet', '-m', 'sync v3 (#2)']);
  await repo.git(['branch', '-D', 'sync/v3']);
  await repo.commit({ 'z.py': lines('carto-z') }, 'CARTO: z feature');
  // Sync 3: upstream merged straight into production.
  await repo.checkout('main');
  await repo.commit({ 'z.py': lines('u4') }, 'upstream 4 (#1004)');
  await repo.tag('v4');
  await repo.checkout('carto/main');
  const s3 = await conflictedMerge(repo, 'v4', { 'z.py': lines('carto-z') }, 'Merge tag v4 into carto/main');
  return { repo, s1, s2, s3 };
}

describe('upstream-sync bench corpus', () => {
  it("builds a fork-sync corpus from the fork's syncs, oriented from the history, with final where the PR changed a file", async () => {
    const { repo, s1, s2, s3 } = await history();
    const out = join(await tempDir(), 'corpus');
    const err: string[] = [];
    const code = await runCli(
      ['bench', 'corpus', '--repo', repo.dir, '--production', 'carto/main', '--upstream', 'v*', '--out', out],
      { stdout: () => {}, stderr: (l) => err.push(l) },
    );
    expect(code, err.join('\n')).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    const syncs = Object.fromEntries(m.syncs.map((s: { merge: string }) => [s.merge, s]));
    expect(syncs[s1]).toMatchObject({ upstreamParentIndex: 1, via: 'production', conflicted: 1 });
    expect(syncs[s2]).toMatchObject({ upstreamParentIndex: 1, conflicted: 1 });
    expect(syncs[s2].via).toMatch(/squash of refs\/pull\/2\/head/);
    // y.py conflicts again: git does not see the squash-merged sync as merged.
    expect(syncs[s3]).toMatchObject({ upstreamParentIndex: 2, via: 'production', conflicted: 2 });
    const x = m.cases.find((c: { path: string; sync_merge: string }) => c.path === 'x.py' && c.sync_merge === s1);
    expect(x).toMatchObject({ final_present: true, fork_customized: true });
    expect(await readFile(join(out, x.id, 'final.py'), 'utf8')).toBe(lines('u2 + carto-x'));
    expect(await readFile(join(out, x.id, 'landed.py'), 'utf8')).toBe(lines('u2'));
    expect(await readFile(join(out, x.id, 'conflicted.py'), 'utf8')).toMatch(/^<<<<<<< upstream\nline 2 u2\n/m);
    const z = m.cases.find((c: { path: string; sync_merge: string }) => c.path === 'z.py' && c.sync_merge === s3);
    expect(existsSync(join(out, z.id, 'final.py'))).toBe(false);
    const caseJson = JSON.parse(await readFile(join(out, x.id, 'case.json'), 'utf8'));
    expect(caseJson.fork_history.map((c: { subject: string }) => c.subject)).toContain('CARTO: x feature');
    expect(caseJson.upstream_history.length).toBeGreaterThan(0);
    // The bench reads what it built, and the resolver leaves the fork-customised files to people.
    const stdout: string[] = [];
    expect(
      await runCli(['bench', 'conflicts', out, '--out', join(out, '..', 'o'), '--json'], {
        stdout: (l) => stdout.push(l),
        stderr: () => {},
      }),
    ).toBe(0);
    expect(JSON.parse(stdout[0]!)).toMatchObject({
      format: 'fork-sync',
      grades: { source: { cases: 4, notAcceptable: 0 } },
    });
  });

  it('refuses an upstream that names nothing', async () => {
    const { repo } = await history();
    const err: string[] = [];
    const code = await runCli(
      [
        'bench',
        'corpus',
        '--repo',
        repo.dir,
        '--production',
        'carto/main',
        '--upstream',
        'nope-*',
        '--out',
        join(repo.dir, 'o'),
      ],
      { stdout: () => {}, stderr: (l) => err.push(l) },
    );
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/--upstream: "nope-\*" names no ref and matches no tag/);
  });
});
