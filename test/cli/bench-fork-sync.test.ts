import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { runGit } from '../../src/sandbox/scratch-repo.js';
import { tempDir } from '../helpers/tmp.js';

// A corpus in the fork-sync format (../shared/bench/fork-sync/README.md): sides named by the sync,
// upstream first in the markers, upstream_history with blobs/, fork_history, and answer keys and
// files the bench must never hand to the resolver.

const blobId = (text: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
const v = (n: number, extra = '') => `def f():\n    return ${n}\n\n\ndef g():\n    return "${n}"\n${extra}`;

interface Case {
  id: string;
  base: string;
  upstream: string;
  fork: string;
  history: string[];
  forkHistory?: Array<{ commit: string; upstream_commit: boolean; sync_commit: boolean }>;
  landed: string;
  final?: string;
}

/** Answer keys set to values that would change the outcome if the resolver read them. */
const ANSWERS = {
  classification: { landed: 'fork', final: 'fork' },
  fork_customized: true,
  resolver: { landed: 'human' },
  landed_equals_fork: true,
  final_present: true,
  hunk_resolutions: [{ resolution: 'fork' }],
};

async function writeForkSync(root: string, cases: Case[]): Promise<void> {
  await mkdir(join(root, 'blobs'), { recursive: true });
  const manifest = {
    cases: cases.map((c) => ({ id: c.id, path: 'litellm/x.py', ext: 'py', build_output: false, ...ANSWERS })),
  };
  await writeFile(join(root, 'manifest.json'), JSON.stringify(manifest));
  for (const c of cases) {
    const dir = join(root, c.id);
    await mkdir(dir);
    for (const k of ['base', 'upstream', 'fork', 'landed'] as const) await writeFile(join(dir, `${k}.py`), c[k]);
    if (c.final !== undefined) await writeFile(join(dir, 'final.py'), c.final);
    const conflicted = await runGit(dir, [
      'merge-file',
      '-p',
      '--diff3',
      '-L',
      'upstream',
      '-L',
      'base',
      '-L',
      'fork',
      'upstream.py',
      'base.py',
      'fork.py',
    ]).catch((err: Error & { cause?: { stdout?: string } }) => err.cause?.stdout ?? '');
    await writeFile(join(dir, 'conflicted.py'), conflicted);
    for (const t of c.history) await writeFile(join(root, 'blobs', `${blobId(t)}.gz`), gzipSync(t));
    const meta = {
      id: c.id,
      path: 'litellm/x.py',
      ext: 'py',
      upstream_parent_index: 1,
      conflict_type: 'content',
      build_output: false,
      fork_blob: blobId(c.fork),
      fork_history: c.forkHistory ?? [],
      upstream_history: c.history.map((t, i) => ({ commit: `${i}`.padStart(40, 'c'), blob: blobId(t), stored: true })),
      ...ANSWERS,
    };
    await writeFile(join(dir, 'case.json'), JSON.stringify(meta));
  }
}

const stale: Case = {
  id: 's-stale',
  base: v(1),
  upstream: v(3),
  fork: v(2),
  history: [v(3), v(2), v(1)],
  landed: v(3),
};
const customised: Case = {
  ...stale,
  id: 's-custom',
  fork: v(2),
  forkHistory: [{ commit: 'f'.repeat(40), upstream_commit: false, sync_commit: false }],
  landed: v(3),
  final: v(3, '# CARTO feature\n'),
};
const picked: Case = {
  ...stale,
  id: 's-picked',
  forkHistory: [{ commit: 'e'.repeat(40), upstream_commit: true, sync_commit: false }],
};

async function bench(root: string, out: string, extra: string[] = []) {
  const stdout: string[] = [];
  const code = await runCli(['bench', 'conflicts', root, '--out', out, '--json', ...extra], {
    stdout: (l) => stdout.push(l),
    stderr: () => {},
  });
  return { code, report: JSON.parse(stdout[0] ?? 'null') };
}

describe('bench conflicts on the fork-sync format', () => {
  it("takes upstream where the fork's file is one upstream had; a person decides where the fork changed it or cherry-picked", async () => {
    const root = join(await tempDir(), 'dev');
    await writeForkSync(root, [stale, customised, picked]);
    const out = join(await tempDir(), 'out');
    const { code, report } = await bench(root, out);
    expect(code).toBe(0);
    expect(report.format).toBe('fork-sync');
    expect(await readdir(out)).toEqual(['s-stale.py']);
    expect(await readFile(join(out, 's-stale.py'), 'utf8')).toBe(v(3));
    expect(report.grades.source).toMatchObject({ cases: 3, exact: 1, acceptable: 1, notAcceptable: 0, unresolved: 2 });
    expect(report.strategies).toEqual([expect.objectContaining({ name: 'stale-fork-side', right: 2, wrong: 0 })]);
  });

  it('never reads the answers: the same files with the answer keys and files stripped', async () => {
    const root = join(await tempDir(), 'dev');
    await writeForkSync(root, [stale, customised, picked]);
    const stripped = join(await tempDir(), 'stripped');
    await cp(root, stripped, { recursive: true });
    const strip = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !(k in ANSWERS) && !/^(landed|final|resolved)/.test(k)));
    const m = JSON.parse(await readFile(join(stripped, 'manifest.json'), 'utf8'));
    await writeFile(join(stripped, 'manifest.json'), JSON.stringify({ cases: m.cases.map(strip) }));
    for (const c of [stale, customised, picked]) {
      const f = join(stripped, c.id, 'case.json');
      await writeFile(f, JSON.stringify(strip(JSON.parse(await readFile(f, 'utf8')))));
      await rm(join(stripped, c.id, 'landed.py'));
      await rm(join(stripped, c.id, 'final.py'), { force: true });
    }
    const a = join(await tempDir(), 'a');
    const b = join(await tempDir(), 'b');
    await bench(root, a);
    const s = await bench(stripped, b);
    expect(s.code).toBe(0);
    expect(s.report.grades).toBeNull();
    expect(await readdir(b)).toEqual(await readdir(a));
    for (const f of await readdir(a))
      expect(await readFile(join(b, f), 'utf8')).toBe(await readFile(join(a, f), 'utf8'));
  });

  it('grades against final or landed', async () => {
    const root = join(await tempDir(), 'dev');
    // Upstream's file by the history layer: right against landed, wrong against what people restored.
    await writeForkSync(root, [{ ...customised, id: 's-rule', forkHistory: [] }]);
    const out = join(await tempDir(), 'out');
    const landed = await bench(root, out, ['--truth', 'landed']);
    const final = await bench(root, out, ['--truth', 'final']);
    expect(landed.report.grades.source).toMatchObject({ exact: 1, notAcceptable: 0 });
    expect(final.report.grades.source).toMatchObject({ exact: 0, notAcceptable: 1 });
    // The text report names every wrong file and the layer that decided it.
    const err: string[] = [];
    await runCli(['bench', 'conflicts', root, '--out', out], { stdout: () => {}, stderr: (l) => err.push(l) });
    expect(err).toContain('not acceptable: 1 file(s)');
    expect(err).toContain('  s-rule: decided by stale-fork-side; hunks not acceptable by stale-fork-side');
    expect((await bench(root, out, ['--truth', 'both'])).code).toBe(2);
    expect((await bench(root, out, ['--layers', 'memory=maybe'])).code).toBe(2);
  });
});
