import { describe, expect, it } from 'vitest';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld, type CliWorld } from './cli-process.js';

// Issue 11 item 8: a CLI sync that met conflicts queued a resolver job only `start` runs, and said
// nothing. It now says what to do next, and `--resolve` runs the resolver in the CLI itself.

async function conflicting(w: CliWorld): Promise<void> {
  await w.sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n', Makefile: 'carto:\n' },
    message: 'feat: carto',
    as: 'carto-dev',
  });
  await publishRelease(w.sandbox, '1.81.0', { 'litellm/app.py': 'a = 1\nb = UP\nc = 3\n', Makefile: 'upstream:\n' });
}

describe('CLI sync with conflicts says what happens next (issue 11 item 8)', () => {
  it('names the resolve command for the PR it opened', async () => {
    const w = await cliWorld();
    await conflicting(w);
    const run = await w.run(['sync', '--config', w.configFile]);
    expect(run.code).toBe(0);
    const pr = w.sandbox.pulls(FORK).at(-1)!.number;
    expect(run.stdout[1]).toBe(
      `  next: conflicts in 2 files: run \`upstream-sync resolve --pr ${pr}\`, or the running bot will (or sync again with --resolve)`,
    );
    const again = await w.run(['sync', '--config', w.configFile, '--json']);
    expect(again.json[0]).toMatchObject({ outcome: 'pr-exists' });
  });

  it('--resolve runs the queued resolver here and reports its outcome', async () => {
    const w = await cliWorld();
    await conflicting(w);
    const run = await w.run(['sync', '--config', w.configFile, '--json', '--resolve']);
    expect(run.code).toBe(0);
    const pr = w.sandbox.pulls(FORK).at(-1)!.number;
    expect(run.json[0]).toMatchObject({
      outcome: 'pr-created',
      pr: { number: pr },
      next: null,
      resolve: { jobId: expect.any(Number), outcome: 'waiting', waiting: expect.any(Number) },
    });
    // The resolver ran: its decision log is on the PR.
    expect(w.sandbox.comments(FORK, pr).some((c) => c.body.includes('hunk'))).toBe(true);
  });
});
