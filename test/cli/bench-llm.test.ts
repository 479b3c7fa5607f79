import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { calibrate } from '../../src/core/resolve/llm-cassette.js';
import { tempDir } from '../helpers/tmp.js';

// The LLM layer offline: a replay file answers the bench's requests by key; the answers are graded
// like every layer, and their stated confidence is set against how often they were right.

const CONFLICTED =
  'def f():\n<<<<<<< ours\n    return 2\n||||||| base\n    return 1\n=======\n    return 3\n>>>>>>> theirs\n';

async function corpus(): Promise<string> {
  const root = join(await tempDir(), 'dev');
  await mkdir(join(root, 'c1'), { recursive: true });
  await writeFile(join(root, 'manifest.json'), JSON.stringify({ cases: [{ id: 'c1', path: 'a.py', ext: 'py' }] }));
  const files = {
    base: '    return 1\n',
    ours: '    return 2\n',
    theirs: '    return 3\n',
    resolved: '    return 3\n',
  };
  for (const [k, body] of Object.entries(files)) await writeFile(join(root, 'c1', `${k}.py`), `def f():\n${body}`);
  await writeFile(join(root, 'c1', 'conflicted.py'), CONFLICTED);
  await writeFile(
    join(root, 'c1', 'case.json'),
    JSON.stringify({ id: 'c1', path: 'a.py', ext: 'py', mainline_parent: 2 }),
  );
  return root;
}

async function bench(root: string, out: string, replay: string) {
  const stdout: string[] = [];
  const code = await runCli(['bench', 'conflicts', root, '--out', out, '--json', '--llm-replay', replay], {
    stdout: (l) => stdout.push(l),
    stderr: () => {},
  });
  return { code, report: JSON.parse(stdout[0] ?? 'null') };
}

describe('bench conflicts --llm-replay', () => {
  it('answers by request key, writes what the answers decide, and tables confidence against acceptability', async () => {
    const root = await corpus();
    const out = join(await tempDir(), 'out');
    const empty = join(await tempDir(), 'empty.jsonl');
    await writeFile(empty, '');
    const first = await bench(root, out, empty);
    expect(first.code).toBe(0);
    expect(first.report.llmReplay.missing).toHaveLength(1);
    expect(await readdir(out)).toEqual([]);
    const key = first.report.llmReplay.missing[0] as string;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const tape = join(await tempDir(), 'tape.jsonl');
    const input = { resolutions: [{ hunk: 0, resolved: '    return 3\n', rationale: 'upstream', confidence: 0.97 }] };
    await writeFile(tape, `${JSON.stringify({ key, model: 'm', input })}\n`);
    const second = await bench(root, out, tape);
    expect(second.report.llmReplay).toMatchObject({ answered: 1, missing: [] });
    expect(await readFile(join(out, 'c1.py'), 'utf8')).toBe('def f():\n    return 3\n');
    expect(second.report.strategies).toEqual([expect.objectContaining({ name: 'llm', right: 1, wrong: 0 })]);
    const row = second.report.llmReplay.calibration.rows.find((r: { answers: number }) => r.answers > 0);
    expect(row).toMatchObject({ from: 0.95, right: 1, wrong: 0 });
  });

  it('refuses a replay file that is not JSON lines, and record with replay', async () => {
    const root = await corpus();
    const bad = join(await tempDir(), 'bad.jsonl');
    await writeFile(bad, 'not json\n');
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (l: string) => err.push(l) };
    expect(await runCli(['bench', 'conflicts', root, '--out', join(root, 'o'), '--llm-replay', bad], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--llm-replay: .*line 1/);
    expect(
      await runCli(
        ['bench', 'conflicts', root, '--out', join(root, 'o'), '--llm-replay', bad, '--llm-record', bad],
        io,
      ),
    ).toBe(2);
  });
});

describe('calibration', () => {
  it('the threshold is the lowest confidence above which answers were right 95% of the time over 20', () => {
    const points = [
      ...Array.from({ length: 20 }, () => ({ confidence: 0.96, right: true })),
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.86, right: i < 7 })),
      ...Array.from({ length: 10 }, () => ({ confidence: 0.55, right: false })),
    ];
    const c = calibrate(points);
    // 0.85 and up: 27 right of 30, below 95%; 0.95 and up: 20 of 20.
    expect(c.threshold).toBe(0.95);
    expect(calibrate(points.map((p) => ({ ...p, right: p.confidence > 0.8 ? true : p.right }))).threshold).toBe(0.85);
    expect(calibrate(points.slice(0, 20)).threshold).toBe(0.95);
    expect(calibrate(points.slice(20)).threshold).toBeNull();
  });
});
