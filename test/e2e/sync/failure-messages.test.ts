import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { isAppError } from '../../../src/errors.js';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliWorld } from './cli-process.js';

// Issue 13 item 10: failure messages that name the wrong thing or promise what does not happen.

/** A directory no one can write: a read-only bind mount as root (root ignores modes), mode 0555 otherwise. */
async function readOnlyDir(): Promise<{ dir: string; release(): void } | null> {
  const dir = join(await tempDir(), 'ro-data');
  await mkdir(dir);
  if (process.getuid?.() !== 0) {
    spawnSync('chmod', ['0555', dir]);
    return { dir, release: () => void spawnSync('chmod', ['0755', dir]) };
  }
  const mounted = spawnSync('mount', ['--bind', '-o', 'ro', dir, dir]);
  if (mounted.status !== 0) return null;
  return { dir, release: () => void spawnSync('umount', [dir]) };
}

describe('failure messages (real process, GitHub stand-in)', () => {
  it('a push the server refuses on the sync branch names that branch and says it gave up, once', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    await w.sandbox.protectBranch(FORK, 'upstream-sync/v1.81.0-stable');
    const run = await w.run(['sync', '--config', w.configFile]);
    expect(run.code).toBe(1);
    const last = run.stdout.at(-1) ?? '';
    expect(last).toContain('upstream-sync/v1.81.0-stable');
    expect(last).toContain('gave up');
    expect(last).not.toMatch(/retrying|push of main/);
    // A refusal is an answer: no second attempt.
    expect(run.stderr).not.toContain('job failed; will retry');
  });

  it('a read-only data directory is named and called read-only', async () => {
    const ro = await readOnlyDir();
    expect(ro, 'cannot make a read-only directory here (mount --bind -o ro refused)').not.toBeNull();
    try {
      const err = (() => {
        try {
          openStore(ro!.dir).close();
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(isAppError(err, 'config_invalid')).toBe(true);
      expect((err as Error).message).toContain(ro!.dir);
      expect((err as Error).message).toContain('read-only');
      expect((err as Error).message).not.toContain('unable to open database file');

      const w = await cliWorld();
      const run = await w.run(['status', '--config', w.configFile], { UPSTREAM_SYNC_DATA_DIR: ro!.dir });
      expect(run.code).toBe(2);
      expect(run.stdout.join('\n') + run.stderr).toContain(`the data directory ${ro!.dir} is read-only`);
    } finally {
      ro!.release();
    }
  });
});
