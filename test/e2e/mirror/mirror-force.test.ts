import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { BOTH_CHANGED_A, TARGET, diverge, mirrorWorld, refsOf, targetCommit } from './mirror-world.js';

describe('mirror: --force (a lease on the target head of the last stored report)', { timeout: 240_000 }, () => {
  it('without a stored diverged report there is nothing to force: refused, nothing pushed', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { t1 } = await diverge(w.sandbox, ...BOTH_CHANGED_A);
    const run = await w.sync('--force');
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({
      outcome: 'refused',
      refused: { reason: 'nothing-to-force', message: expect.stringContaining('no stored report') },
      targetSha: t1,
      targetShaAfter: t1,
    });
    expect(w.sandbox.mutatingRequests()).toEqual([]);
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(t1);
  });

  it('diverged report, then --force: the target is the source head; the force is audited', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { s1, t1 } = await diverge(w.sandbox, ...BOTH_CHANGED_A);
    expect((await w.sync()).json[0]).toMatchObject({ outcome: 'diverged', targetSha: t1 });
    const run = await w.sync('--force');
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({
      outcome: 'forced',
      sourceSha: s1,
      targetSha: t1,
      targetShaAfter: s1,
      report: { targetOnly: [{ sha: t1, subject: 'target: a' }] },
    });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s1);
    // Before the force, the replaced head was kept in the target through the API.
    const backupRef = run.json[0]!.backupRef as string;
    expect(backupRef).toMatch(/^refs\/upstream-sync\/backup\/main\/\d{8}T\d{6}\.\d{3}Z$/);
    expect((await w.sandbox.git(TARGET, ['rev-parse', backupRef])).trim()).toBe(t1);
    const posts = w.sandbox.mutatingRequests().filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.kind, r.path])).toEqual([
      ['rest', '/repos/cogpy/occ/git/refs'],
      ['git-push', '/cogpy/occ.git/git-receive-pack'],
    ]);

    const store = openStore(w.dataDir);
    const audit = store.audit.list({ pipeline: 'occ', action: 'mirror-force' });
    store.close();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'allowed', actor: { kind: 'cli' }, details: { lease: t1 } });

    // Now equal: a second force has nothing to do, and says so.
    expect((await w.sync('--force')).json[0]).toMatchObject({ outcome: 'up-to-date' });
  });

  it('the target moved after the report: refused (target-moved) with a new report; forcing again uses the new lease', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { s1 } = await diverge(w.sandbox, ...BOTH_CHANGED_A);
    await w.sync();
    const t2 = await targetCommit(w.sandbox, { 'b.c': 'more\n' }, 'target: b');
    const before = await refsOf(w.sandbox, TARGET);

    const refused = await w.sync('--force');
    expect(refused.code).toBe(0);
    expect(refused.json[0]).toMatchObject({
      outcome: 'refused',
      refused: { reason: 'target-moved' },
      targetSha: t2,
      targetShaAfter: t2,
      behind: 2,
      report: { targetOnly: [{ sha: t2, subject: 'target: b' }, { subject: 'target: a' }] },
    });
    expect(await refsOf(w.sandbox, TARGET)).toBe(before);
    expect(w.sandbox.mutatingRequests()).toEqual([]);

    const forced = await w.sync('--force');
    expect(forced.json[0]).toMatchObject({ outcome: 'forced', targetSha: t2, targetShaAfter: s1 });
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(s1);
  });

  it('--force --dry-run: says it would force, pushes nothing', async () => {
    const w = await mirrorWorld({ allowForce: true });
    const { s1, t1 } = await diverge(w.sandbox, ...BOTH_CHANGED_A);
    await w.sync();
    const run = await w.sync('--force', '--dry-run');
    expect(run.json[0]).toMatchObject({ outcome: 'forced', dryRun: true, targetSha: t1, targetShaAfter: s1 });
    expect(w.sandbox.mutatingRequests()).toEqual([]);
    expect(await w.sandbox.branchSha(TARGET, 'main')).toBe(t1);
  });
});
