import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { runGit } from '../../src/sandbox/scratch-repo.js';
import { tempDir } from '../helpers/tmp.js';

interface FakeCase {
  id: string;
  path: string;
  ext: string;
  date: string;
  base: string;
  ours: string;
  theirs: string;
  resolved: string;
  /** case.json keys; the main line is the second parent unless said otherwise. */
  meta?: Record<string, unknown>;
}

/** A corpus laid out like ../shared/bench/conflicts, with conflicted files made by git itself. */
async function writeCorpus(root: string, cases: FakeCase[], missing: string[] = []): Promise<void> {
  const manifest = {
    cases: [...cases, ...missing.map((id) => ({ id, path: 'gone.txt', ext: 'txt', date: '2024-01-01T00:00:00Z' }))].map(
      ({ id, path, ext, date }) => ({ id, path, ext, date }),
    ),
  };
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'manifest.json'), JSON.stringify(manifest));
  for (const c of cases) {
    const dir = join(root, c.id);
    await mkdir(dir);
    for (const k of ['base', 'ours', 'theirs', 'resolved'] as const) await writeFile(join(dir, `${k}.${c.ext}`), c[k]);
    await writeFile(
      join(dir, 'case.json'),
      JSON.stringify({ id: c.id, path: c.path, ext: c.ext, mainline_parent: 2, ...c.meta }),
    );
    const out = await runGit(dir, [
      'merge-file',
      '-p',
      '--diff3',
      '-L',
      'ours',
      '-L',
      'base',
      '-L',
      'theirs',
      `ours.${c.ext}`,
      `base.${c.ext}`,
      `theirs.${c.ext}`,
    ]).catch((err: Error & { cause?: { stdout?: string } }) => err.cause?.stdout ?? '');
    await writeFile(join(dir, `conflicted.${c.ext}`), out);
  }
}

const providers = (...names: string[]) => `PROVIDERS = [\n    "a",\n${names.map((n) => `    "${n}",\n`).join('')}]\n`;

describe('upstream-sync bench conflicts', () => {
  it('writes a file only for cases every hunk of which the deterministic layers decided', async () => {
    const root = join(await tempDir(), 'dev');
    const out = join(await tempDir(), 'out');
    await writeCorpus(
      root,
      [
        {
          id: 'c1-union',
          path: 'litellm/constants.py',
          ext: 'py',
          date: '2024-02-01T00:00:00Z',
          base: providers(),
          ours: providers('heroku'),
          theirs: providers('oci'),
          resolved: providers('heroku', 'oci'),
        },
        {
          id: 'c2-open',
          path: 'litellm/main.py',
          ext: 'py',
          date: '2024-01-01T00:00:00Z',
          base: 'def f():\n    return 1\n',
          ours: 'def f():\n    return 2\n',
          theirs: 'def f():\n    return 3\n',
          resolved: 'def f():\n    return 3\n',
        },
      ],
      ['c3-missing'],
    );
    await mkdir(out);
    await writeFile(join(out, 'c2-open.py'), 'stale answer from an earlier run');
    const stdout: string[] = [];
    const code = await runCli(['bench', 'conflicts', root, '--out', out, '--json', '--llm-dry-run'], {
      stdout: (l) => stdout.push(l),
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['c1-union.py']);
    expect(await readFile(join(out, 'c1-union.py'), 'utf8')).toBe(providers('heroku', 'oci'));
    const summary = JSON.parse(stdout[0]!);
    expect(summary).toMatchObject({
      cases: 3,
      missing: 1,
      written: 1,
      byStrategy: { 'list-union': 1 },
      llm: { requests: 1 },
    });
    expect(summary.llm.requestBytes).toBeGreaterThan(0);
  });

  it('with --learn, replays what landed for an earlier case when the same conflict comes back', async () => {
    const root = join(await tempDir(), 'dev');
    const out = join(await tempDir(), 'out');
    const same = {
      path: 'litellm/main.py',
      ext: 'py',
      base: 'def f():\n    return 1\n',
      ours: 'def f():\n    return 2\n',
      theirs: 'def f():\n    return 3\n',
      resolved: 'def f():\n    return 3\n',
    };
    await writeCorpus(root, [
      { id: 'later', date: '2024-03-01T00:00:00Z', ...same },
      { id: 'earlier', date: '2024-01-01T00:00:00Z', ...same },
    ]);
    const quiet = { stdout: () => {}, stderr: () => {} };
    expect(await runCli(['bench', 'conflicts', root, '--out', out], quiet)).toBe(0);
    expect(await readdir(out)).toEqual([]);
    expect(await runCli(['bench', 'conflicts', root, '--out', out, '--learn', '--layers', 'memory=on'], quiet)).toBe(0);
    expect(await readdir(out)).toEqual(['later.py']);
    expect(await readFile(join(out, 'later.py'), 'utf8')).toBe(same.resolved);
  });

  it('refuses a directory without a manifest', async () => {
    const errors: string[] = [];
    const dir = await tempDir();
    expect(
      await runCli(['bench', 'conflicts', dir, '--out', join(dir, 'o')], {
        stdout: () => {},
        stderr: (l) => errors.push(l),
      }),
    ).toBe(2);
    expect(errors.join('\n')).toMatch(/no manifest.json/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  describe('orientation of the conflicts format', () => {
    // Both sides made the same change and differ only in blank lines: blank-equal keeps upstream's layout.
    const layout = {
      path: 'a.py',
      ext: 'py',
      date: '2024-01-01T00:00:00Z',
      base: 'x = 0\ny = 0\n',
      ours: 'x = 1\n\ny = 1\n',
      theirs: 'x = 1\ny = 1\n',
      resolved: 'x = 1\ny = 1\n',
    };
    const run = async (meta: Record<string, unknown>) => {
      const root = join(await tempDir(), 'dev');
      const out = join(await tempDir(), 'out');
      await writeCorpus(root, [{ id: 'c', ...layout, meta }]);
      const err: string[] = [];
      expect(
        await runCli(['bench', 'conflicts', root, '--out', out, '--layers', 'blank-equal=on'], {
          stdout: () => {},
          stderr: (l) => err.push(l),
        }),
      ).toBe(0);
      const files = await readdir(out);
      return { text: files.length ? await readFile(join(out, files[0]!), 'utf8') : null, err: err.join('\n') };
    };

    it.each([
      { meta: { mainline_parent: 2 }, want: layout.theirs },
      { meta: { mainline_parent: 1 }, want: layout.ours },
      { meta: { mainline_parent: null, subject: "Merge branch 'main' into topic" }, want: layout.theirs },
      { meta: { mainline_parent: null, subject: 'Merge pull request #12 from someone/topic' }, want: layout.ours },
    ])('upstream is the main line: $meta', async ({ meta, want }) => {
      expect((await run(meta)).text).toBe(want);
    });

    it('leaves a case whose main line cannot be told, and says why', async () => {
      const r = await run({ mainline_parent: null, subject: 'Merge commit abc' });
      expect(r.text).toBeNull();
      expect(r.err).toMatch(/not run: 1 case\(s\): main line undecided/);
    });
  });

  it('refuses a corpus in neither format with exit 2 and the reason', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'manifest.json'), JSON.stringify({ cases: [{ id: 'x', path: 'a.py', ext: 'py' }] }));
    await mkdir(join(root, 'x'));
    await writeFile(join(root, 'x', 'left.py'), 'a\n');
    const errors: string[] = [];
    const out = join(root, 'o');
    expect(
      await runCli(['bench', 'conflicts', root, '--out', out], { stdout: () => {}, stderr: (l) => errors.push(l) }),
    ).toBe(2);
    expect(errors.join('\n')).toMatch(/cannot read the corpus: case x has neither upstream\/fork files/);
    expect(existsSync(out)).toBe(false);
  });

  it('leaves a case missing one side, with the reason, instead of writing a guess', async () => {
    const root = join(await tempDir(), 'dev');
    const out = join(await tempDir(), 'out');
    await writeCorpus(root, [
      {
        id: 'half',
        path: 'a.py',
        ext: 'py',
        date: '2024-01-01T00:00:00Z',
        base: 'x = 0\n',
        ours: 'x = 1\n',
        theirs: 'x = 1\n',
        resolved: 'x = 1\n',
      },
    ]);
    await rm(join(root, 'half', 'theirs.py'));
    const err: string[] = [];
    expect(
      await runCli(['bench', 'conflicts', root, '--out', out], { stdout: () => {}, stderr: (l) => err.push(l) }),
    ).toBe(0);
    expect(await readdir(out)).toEqual([]);
    expect(err.join('\n')).toMatch(/not run: 1 case\(s\): no theirs.py in the case/);
  });
});
