import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { GitStats } from '../../../src/adapters/git/git-exec.js';
import { FORK, UPSTREAM, syncWorld, type SyncWorld } from './harness.js';

// What a superseding sync costs in git: the older sync PR's tag and branch were fetched or pushed
// by the sync that opened it, so the cache holds them; judging whether that branch is the bot's
// own must not fetch them again, unless someone moved the branch or the cache lost the tag.

const run = promisify(execFile);

/** Git fetches (one ref advertisement each) per remote made while `fn` ran. */
async function fetchesDuring(w: SyncWorld, fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = w.sandbox.requests.length;
  await fn();
  const counts: Record<string, number> = {};
  for (const r of w.sandbox.requests.slice(before))
    if (r.kind === 'git-fetch' && r.path.endsWith('/info/refs')) {
      const repo = r.path.slice(1, r.path.indexOf('.git/'));
      counts[repo] = (counts[repo] ?? 0) + 1;
    }
  return counts;
}

async function supersedeWorld(): Promise<SyncWorld & { firstPr: number }> {
  const w = await syncWorld({ pipeline: { whenNewerReleaseWhilePrOpen: 'supersede' } });
  await w.release('1.81.0');
  const first = await w.sync();
  expect(first.outcome).toBe('pr-created');
  await w.release('1.82.0');
  return Object.assign(w, { firstPr: first.pr!.number });
}

describe('a superseding sync on a warm cache', () => {
  it('fetches only the new tag: not the older tag nor the older sync branch the cache already holds', async () => {
    const w = await supersedeWorld();
    let outcome = '';
    const fetches = await fetchesDuring(w, async () => (outcome = (await w.sync()).outcome));
    expect(outcome).toBe('superseded');
    expect(fetches).toEqual({ [UPSTREAM]: 1 });
    // Still judged and deleted as the bot's own branch.
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
    expect(w.sandbox.pull(FORK, w.firstPr).state).toBe('closed');
  });

  it('diffs only what is new: the fork point against production is remembered from the first sync', async () => {
    const w = await supersedeWorld();
    const stats = w.services.git.stats as GitStats;
    const diffs = stats.byCommand.diff?.calls ?? 0;
    expect((await w.sync()).outcome).toBe('superseded');
    // The fork point against the new tag; production did not move, so its diffs are reused.
    expect((stats.byCommand.diff?.calls ?? 0) - diffs).toBe(1);
  });

  it('fetches the older sync branch when a person pushed to it since, and keeps it', async () => {
    const w = await supersedeWorld();
    const human = await w.sandbox.pushCommit(FORK, {
      branch: 'upstream-sync/v1.81.0-stable',
      files: { 'fix.py': 'x\n' },
      message: 'fix: by hand',
      as: 'carto-dev',
    });
    const fetches = await fetchesDuring(w, () => w.sync());
    expect(fetches[FORK]).toBe(1);
    expect(await w.services.git.resolve(FORK, 'refs/fork/heads/upstream-sync/v1.81.0-stable')).toBe(human);
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBe(human);
  });

  it('fetches the older tag when the cache lacks it, and still deletes the bot-only branch', async () => {
    const w = await supersedeWorld();
    const cache = join(w.dataDir, 'git', 'CartoDB', 'litellm.git');
    await run('git', ['update-ref', '-d', 'refs/upstream/tags/v1.81.0-stable'], { cwd: cache });
    const fetches = await fetchesDuring(w, () => w.sync());
    expect(fetches[UPSTREAM]).toBe(2);
    expect(await w.services.git.resolve(FORK, 'refs/upstream/tags/v1.81.0-stable')).not.toBeNull();
    expect(await w.sandbox.branchSha(FORK, 'upstream-sync/v1.81.0-stable')).toBeNull();
  });
});
