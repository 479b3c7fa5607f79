import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../src/cli/program.js';
import { publishRelease } from '../pipelines/release-sync/harness.js';
import { cliWorld } from '../e2e/sync/cli-process.js';

// Help and --version on stdout (what was asked for), an example and the environment variables in
// every command's help, progress lines on stderr with --progress (or a terminal) and never on stdout.

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI manners', () => {
  it('--help goes to stdout with examples, exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('Usage: upstream-sync');
    expect(r.out).toContain('$ upstream-sync doctor');
  });

  it("every command's help has an example and says which environment variables it reads", async () => {
    const program = buildProgram({ stdout: () => {}, stderr: () => {} }, () => {});
    for (const command of program.commands) {
      const r = await run([command.name(), '--help']);
      expect(r.code, command.name()).toBe(0);
      expect(r.out, command.name()).toMatch(new RegExp(`Example:\\n  \\$ upstream-sync ${command.name()}`));
    }
    expect((await run(['start', '--help'])).out).toMatch(/Environment:[\s\S]*SLACK_APP_TOKEN[\s\S]*GITHUB_APP_ID/);
    expect((await run(['status', '--help'])).out).toMatch(/Environment:[\s\S]*GITHUB_TOKEN/);
  });

  it('--version prints the package version on stdout', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(pkg.version);
  });

  it('sync --progress: step, fetch, merge, push and PR lines on stderr, stdout stays JSON; without it (not a terminal) none', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const quiet = await w.run(['sync', '--config', w.configFile, '--json', '--dry-run']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/^… sync: /m);
    const r = await w.run(['sync', '--config', w.configFile, '--json', '--progress']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^… sync: inspect$/m);
    expect(r.stderr).toMatch(/^✓ sync: inspect \(\d+\.\d+s\)$/m);
    expect(r.stderr).toMatch(/^✓ sync: pull-request \(\d+\.\d+s\)$/m);
    // Inside the steps: the network and git work, each started and finished.
    expect(r.stderr).toMatch(/^… git: fetch BerriAI\/litellm$/m);
    expect(r.stderr).toMatch(/^✓ git: fetch BerriAI\/litellm \(\d+\.\d+s\)$/m);
    expect(r.stderr).toMatch(/^✓ git: merge [0-9a-f]{12} into [0-9a-f]{12} \(CartoDB\/litellm\) \(\d+\.\d+s\)$/m);
    expect(r.stderr).toMatch(/^✓ git: push CartoDB\/litellm .*upstream-sync\/v1\.81\.0-stable.* \(\d+\.\d+s\)$/m);
    expect(r.stderr).toMatch(
      /^✓ github: open pull request CartoDB\/litellm upstream-sync\/v1\.81\.0-stable \(\d+\.\d+s\)$/m,
    );
    // The JSON log lines stay JSON lines: progress is never written into them.
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('{')))
      expect(() => JSON.parse(line)).not.toThrow();
    expect(quiet.stderr).not.toMatch(/^… git: /m);
    expect(r.json[0]).toMatchObject({ outcome: 'pr-created' });
  });
});
