import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run bench -- replay` on a small history: it must keep running end to end (cold sync, then a
// warm one that supersedes the first PR) and print its summary line; the warm sync must make no
// more git processes than the cold one (issue 23's target; times are printed, never asserted).

const bench = fileURLToPath(new URL('../../bench/replay.ts', import.meta.url));

function runBench(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('bench replay', () => {
  it('supersedes the first PR warm, with no more git processes than the cold sync', { timeout: 180_000 }, async () => {
    const r = await runBench(['--files', '300', '--history', '300', '--release', '30']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warm \(v1\.81\.10, supersedes the first PR\): \d+ ms .*outcome superseded \(PR #2\)/);
    const line = r.out.trim().split('\n').at(-1) ?? '';
    const m = line.match(
      /^replay cold_ms=\d+ warm_ms=\d+ warm_over_cold=[\d.]+ cold_git=(\d+) warm_git=(\d+) cold_rest=(\d+) warm_rest=(\d+)$/,
    );
    expect(m, line).not.toBeNull();
    const [coldGit, warmGit] = [Number(m![1]), Number(m![2])];
    expect(warmGit).toBeLessThanOrEqual(coldGit);
  });

  it('refuses a size that is not a positive whole number (exit 2)', async () => {
    const r = await runBench(['--files', 'many']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--files must be a positive whole number');
  });
});
