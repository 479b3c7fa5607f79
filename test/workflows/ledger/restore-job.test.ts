import { describe, expect, it } from 'vitest';
import { ledgerRestoreInput } from '../../../src/jobs/job-kinds.js';
import { registerJobs } from '../../../src/main.js';
import { restoreJob, type RestoreJobResult } from '../../../src/workflows/ledger/restore-job.js';
import type { GitPort } from '../../../src/ports.js';
import { FORK, syncWorld, type SyncWorld } from '../../pipelines/release-sync/harness.js';

// The `ledger-restore` job behind "Restore fork side": one fast-forward commit that brings the
// dropped fork hunk back, or, when it cannot, nothing pushed and the refusal audited.

const TAG = 'v1.81.0-stable';
const SYNC_BRANCH = `upstream-sync/${TAG}`;
const ALICE = { kind: 'slack', id: 'U0ALICE01' } as const;

async function syncThenDrop(w: SyncWorld, syncBranchApp: string): Promise<{ pr: number; head: string }> {
  await w.sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n', 'litellm/gone.py': 'fork only\n' },
    message: 'feat: carto b',
    as: 'carto-dev',
  });
  await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
  const pr = (await w.sync()).pr!.number;
  const head = await w.sandbox.pushCommit(FORK, {
    branch: SYNC_BRANCH,
    files: { 'litellm/app.py': syncBranchApp, 'litellm/gone.py': null },
    message: 'a resolution that drops fork work',
    as: 'carto-dev',
  });
  return { pr, head };
}

async function restore(w: SyncWorld, pr: number, hunkId: string): Promise<RestoreJobResult> {
  const { job } = await w.services.runner.enqueue(
    ledgerRestoreInput({ id: 'litellm', fork: { repo: FORK } }, { pipeline: 'litellm', tag: TAG, pr, hunkId }, ALICE),
  );
  await w.services.runner.runUntilIdle({ timeoutMs: 60_000 });
  const done = (await w.services.runner.get(job.id))!;
  expect(done.state).toBe('succeeded');
  return done.result as RestoreJobResult;
}

describe('ledger-restore job', () => {
  it('restores each dropped hunk with a fast-forward commit; the rebuilt ledger drops nothing', async () => {
    const w = await syncWorld();
    registerJobs(w.services, ['ledger-restore']);
    const { pr, head } = await syncThenDrop(w, 'a = 1\nb = 2\nc = 3\nupstream = 4\n');
    // The stored ledger is of the sync's head; the job rebuilds it for the moved head first.
    const ids = w.services.ledgers
      .latest('litellm', { pr })!
      .entries.filter((e) => e.path !== 'carto_feature.py')
      .map((e) => e.id);
    expect(ids).toHaveLength(2);
    let tip = head;
    for (const id of ids) {
      const r = await restore(w, pr, id);
      expect(r).toMatchObject({ restored: true, hunkId: id });
      const now = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
      expect((await w.sandbox.git(FORK, ['rev-parse', `${now}^`])).trim()).toBe(tip);
      tip = now;
    }
    expect(await w.sandbox.git(FORK, ['show', `${tip}:litellm/app.py`])).toBe(
      'a = 1\nb = CARTO\nc = 3\nupstream = 4\n',
    );
    expect(await w.sandbox.git(FORK, ['show', `${tip}:litellm/gone.py`])).toBe('fork only\n');
    const rebuilt = w.services.ledgers.latest('litellm', { pr })!;
    expect(rebuilt.headSha).toBe(tip);
    expect(rebuilt.counts.dropped).toBe(0);
    expect(w.services.store.audit.list({ action: 'ledger.restore' }).map((a) => a.outcome)).toEqual(['done', 'done']);
    // Asked again: the hunk is kept now, nothing more is pushed.
    expect(await restore(w, pr, ids[0]!)).toMatchObject({ restored: false, already: true });
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBe(tip);
  });

  it('a hunk whose context upstream rewrote is not guessed at: nothing pushed, refusal audited', async () => {
    const w = await syncWorld();
    registerJobs(w.services, ['ledger-restore']);
    const { pr, head } = await syncThenDrop(w, 'completely\nrewritten\n');
    const id = w.services.ledgers.latest('litellm', { pr })!.entries.find((e) => e.path === 'litellm/app.py')!.id;
    const r = await restore(w, pr, id);
    expect(r).toMatchObject({ restored: false, already: false, reason: expect.stringContaining('restore it by hand') });
    expect(await w.sandbox.branchSha(FORK, SYNC_BRANCH)).toBe(head);
    const audited = w.services.store.audit.list({ action: 'ledger.restore' });
    expect(audited.map((a) => [a.actor.id, a.outcome, a.target])).toEqual([[ALICE.id, 'refused', `hunk:${id}`]]);
  });

  it('a sync branch that moves between the commit and its push is not forced: refused, press again', async () => {
    const w = await syncWorld();
    // The real git port, with someone's push landing at the moment the job pushes.
    const git = new Proxy(w.services.git, {
      get(target, prop, receiver) {
        if (prop !== 'push') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<GitPort['push']>) => {
          await w.sandbox.pushCommit(FORK, {
            branch: SYNC_BRANCH,
            files: { 'NOTES.md': 'someone else\n' },
            message: 'meanwhile',
            as: 'carto-dev',
          });
          return target.push(...args);
        };
      },
    });
    w.services.runner.register(
      restoreJob({ ...w.services, git, audit: w.services.store.audit, cards: w.services.store.syncCards }),
    );
    const { pr } = await syncThenDrop(w, 'a = 1\nb = 2\nc = 3\n');
    const id = w.services.ledgers.latest('litellm', { pr })!.entries.find((e) => e.path === 'litellm/app.py')!.id;
    const r = await restore(w, pr, id);
    expect(r).toMatchObject({ restored: false, reason: expect.stringContaining('nothing was forced') });
    const tip = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
    expect(await w.sandbox.git(FORK, ['log', '-1', '--format=%s', tip])).toContain('meanwhile');
    expect(await w.sandbox.git(FORK, ['show', `${tip}:litellm/app.py`])).toBe('a = 1\nb = 2\nc = 3\n');
    expect(w.services.store.audit.list({ action: 'ledger.restore' }).map((a) => a.outcome)).toEqual(['refused']);
  });
});
