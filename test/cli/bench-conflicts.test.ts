import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
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
    expect(await runCli(['bench', 'conflicts', root, '--out', out, '--learn'], quiet)).toBe(0);
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
});
