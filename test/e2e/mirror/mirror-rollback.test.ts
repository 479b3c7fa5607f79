import { describe, expect, it } from 'vitest';
import { BOTH_CHANGED_A, TARGET, diverge, mirrorWorld, type MirrorWorld, targetCommit } from './mirror-world.js';

// Issue 25: nothing a force replaces is lost. Force → backup of the old head → rollback restores
// it exactly and keeps a backup of the forced head; a rollback whose lease fails changes nothing.

async function forced(w: MirrorWorld) {
  const { s1, t1 } = await diverge(w.sandbox, ...BOTH_CHANGED_A);
  await w.sync();
  const force = await w.sync('--force');
  expect(force.json[0]).toMatchObject({ outcome: 'forced', targetShaAfter: s1 });
  return { s1, t1, backupRef: force.json[0]!.backupRef as string };
}

const ROLLBACK = (w: MirrorWorld, ...extra: string[]) =>
  w.run(['mirror', 'rollback', '--config', w.configFile, '--pipeline', 'occ', '--json', ...extra]);

describe('mirror rollback (real process, GitHub stand-in)', { timeout: 240_000 }, () => {
  it('restores the backed-up head exactly (tree and history) and keeps a backup of the forced head', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { s1, t1, backupRef } = await forced(w);
    const logBefore = await w.sandbox.git(TARGET, ['log', '--format=%H %T %P', t1]);

    const dry = await ROLLBACK(w, '--dry-run');
    expect(dry.json[0]).toMatchObject({ outcome: 'rolled-back', dryRun: true, to: backupRef, toSha: t1 });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s1);

    const run = await ROLLBACK(w);
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({
      pipeline: 'occ',
      action: 'rollback',
      outcome: 'rolled-back',
      to: backupRef,
      toSha: t1,
      targetSha: s1,
      targetShaAfter: t1,
      backupRef: expect.stringMatching(/^refs\/upstream-sync\/backup\/main\//),
    });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(t1);
    expect(await w.sandbox.git(TARGET, ['log', '--format=%H %T %P', 'refs/heads/main'])).toBe(logBefore);
    const keptForced = run.json[0]!.backupRef as string;
    expect(keptForced).not.toBe(backupRef);
    expect((await w.sandbox.git(TARGET, ['rev-parse', keptForced])).trim()).toBe(s1);

    // Again: nothing to do.
    expect((await ROLLBACK(w, '--to', backupRef)).json[0]).toMatchObject({ outcome: 'up-to-date' });
    // A ref that is no backup is a usage error.
    const bad = await ROLLBACK(w, '--to', 'refs/heads/main');
    expect(bad.code).toBe(2);
  });

  it('a rollback whose lease fails (the target moved meanwhile) is refused and changes nothing', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { s1 } = await forced(w);
    // Hold the creation of the rollback's own backup (after it read the head, before it pushes)
    // while a person pushes to the target.
    w.sandbox.faults.inject({ method: 'POST', path: `/repos/${TARGET}/git/refs`, latencyMs: 2500, times: 1 });
    const listings = () =>
      w.sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`/repos/${TARGET}/git/matching-refs/`))
        .length;
    const before = listings();
    const pending = ROLLBACK(w);
    const deadline = Date.now() + 30_000;
    // The second listing is the backup's look before it creates.
    while (listings() < before + 2) {
      if (Date.now() > deadline) throw new Error('the rollback never reached its backup');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const moved = await targetCommit(w.sandbox, { 'late.c': '1\n' }, 'late');
    const run = await pending;
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({ outcome: 'refused', refused: { reason: 'target-moved' }, targetSha: s1 });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(moved);
  });
});
