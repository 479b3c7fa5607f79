import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishRelease } from '../../pipelines/release-sync/harness.js';
import { tempDir } from '../../helpers/tmp.js';
import { cliWorld } from './cli-process.js';

// Issue 13 item 6: on a full disk `sync` never exited (the job stayed running, the runner logged
// "claiming a job failed" every poll). A real small filesystem (tmpfs), really filled.

async function smallDisk(sizeKb: number): Promise<{ dir: string; release(): void }> {
  const dir = join(await tempDir(), 'small-disk');
  await mkdir(dir);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  if (mounted.status !== 0) throw new Error(`cannot mount a tmpfs here: ${mounted.stderr.toString()}`);
  return { dir, release: () => void spawnSync('umount', ['-l', dir]) };
}

/** Fills the disk until `leaveKb` remain (dd stops at ENOSPC when leaveKb is 0). */
function fill(dir: string, leaveKb: number): void {
  const df = spawnSync('df', ['-k', '--output=avail', dir]).stdout.toString().trim().split('\n');
  const avail = Number(df[df.length - 1]);
  const blocks = Math.max(0, avail - leaveKb);
  spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=1k', `count=${blocks}`]);
}

describe('sync on a full disk (real process, tmpfs)', () => {
  it('exits 1 with one clear line, and the next sync works once space returns', async () => {
    const disk = await smallDisk(8 * 1024);
    try {
      const w = await cliWorld();
      const env = { UPSTREAM_SYNC_DATA_DIR: join(disk.dir, 'data') };
      // The database exists and is migrated; then the disk fills up.
      expect((await w.run(['status', '--config', w.configFile], env)).code).toBe(0);
      await publishRelease(w.sandbox, '1.81.0', { 'litellm/big.txt': randomBytes(1536 * 1024).toString('base64') });
      fill(disk.dir, 1000);

      const run = await w.run(['sync', '--config', w.configFile], env);
      expect(run.code).toBe(1);
      const said = run.stdout.join('\n') + run.stderr;
      expect(said).toMatch(/no space left on device|database or disk is full/i);
      expect(said).toContain(join(disk.dir, 'data'));
      expect(run.stderr.split('claiming a job failed').length).toBeLessThanOrEqual(2);

      await rm(join(disk.dir, 'filler'));
      const again = await w.run(['sync', '--config', w.configFile, '--json'], env);
      expect(again.code).toBe(0);
      expect(again.json[0]).toMatchObject({ outcome: 'pr-created' });
    } finally {
      disk.release();
    }
  }, 120_000);
});
