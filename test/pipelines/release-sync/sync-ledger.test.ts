import { describe, expect, it } from 'vitest';
import { mergeJobInput } from '../../../src/jobs/job-kinds.js';
import { registerMergeJob } from '../../../src/pipelines/release-sync/register.js';
import { requireReleaseSync } from '../../../src/config/require-pipeline.js';
import { pipelineStatus } from '../../../src/pipelines/release-sync/sync-status.js';
import { acceptDrop } from '../../../src/workflows/ledger/accept-drop.js';
import { FORK, syncWorld, type SyncWorld } from './harness.js';

const SYNC_BRANCH = 'upstream-sync/v1.81.0-stable';
const GUARDS = [
  {
    feature: 'carto feature',
    files: ['carto_feature.py'],
    patterns: [{ file: 'litellm/app.py', regex: '^b = CARTO$' }],
  },
];

async function forkCustomised(w: SyncWorld): Promise<void> {
  await w.sandbox.pushCommit(FORK, {
    branch: 'carto/main',
    files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n' },
    message: 'feat: carto b',
    as: 'carto-dev',
  });
}

async function approve(w: SyncWorld, pr: number): Promise<{ merged: boolean; reason?: string }> {
  const p = requireReleaseSync(w.config, 'litellm');
  const { job } = await w.services.runner.enqueue(
    mergeJobInput(p, { pipeline: 'litellm', tag: 'v1.81.0-stable', pr }, { kind: 'slack', id: 'U0ALICE01' }),
  );
  await w.services.runner.runUntilIdle({ timeoutMs: 30_000 });
  return (await w.services.runner.get(job.id))!.result as { merged: boolean; reason?: string };
}

describe('fork-patch ledger in the release-sync pipeline', () => {
  it('a clean sync keeps every fork hunk: counted in the PR body, stored per sync, guards pass', async () => {
    const w = await syncWorld({ pipeline: { guards: GUARDS } });
    await forkCustomised(w);
    await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
    const result = await w.sync();
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.body).toContain('### 🧾 Fork-patch ledger: 2 fork hunks');
    expect(pr.body).toContain('2 kept · 0 absorbed · 0 adapted · 0 dropped');
    expect(pr.body).not.toContain('feature guard');
    expect(w.notes.find((n) => n.update.stage === 'pr-open')?.update).not.toHaveProperty('ledgerBlock');
    const stored = w.services.ledgers.latest('litellm', { pr: pr.number });
    expect(stored?.headSha).toBe(await w.sandbox.branchSha(FORK, SYNC_BRANCH));
    expect(stored?.entries.map((e) => [e.path, e.kind, e.fate])).toEqual([
      ['carto_feature.py', 'added-file', 'kept'],
      ['litellm/app.py', 'modified', 'kept'],
    ]);
    expect(stored?.guards).toEqual([{ feature: 'carto feature', ok: true, failures: [] }]);
  });

  it('a change that drops a fork hunk blocks Approve & merge until the drop is accepted (audited)', async () => {
    const w = await syncWorld({ pipeline: { guards: [] } });
    registerMergeJob(w.services);
    await forkCustomised(w);
    await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
    const result = await w.sync();
    const number = result.pr!.number;
    // A resolution (or a person) takes upstream's side of the fork's line on the sync branch.
    await w.sandbox.pushCommit(FORK, {
      branch: SYNC_BRANCH,
      files: { 'litellm/app.py': 'a = 1\nb = 2\nc = 3\n' },
      message: 'fix: take upstream',
      as: 'carto-dev',
    });
    await w.sandbox.setCheckRun(FORK, `refs/heads/${SYNC_BRANCH}`, { name: 'test', conclusion: 'success' });

    const refused = await approve(w, number);
    expect(refused.merged).toBe(false);
    expect(refused.reason).toMatch(
      new RegExp(`^PR #${number}: 1 fork hunk dropped by the sync \\(litellm/app\\.py#1@`),
    );
    const rebuilt = w.services.ledgers.latest('litellm', { pr: number })!;
    expect(rebuilt.headSha).toBe(await w.sandbox.branchSha(FORK, SYNC_BRANCH));
    const dropped = rebuilt.entries.find((e) => e.fate === 'dropped')!;
    expect(dropped.added).toEqual(['b = CARTO']);

    const audit = { ledgers: w.services.ledgers, audit: w.services.store.audit };
    const bob = { kind: 'cli', id: 'bob' } as const;
    expect(
      acceptDrop(audit, { pipeline: 'litellm', forkRepo: FORK, pr: number, hunkId: 'nope', actor: bob }),
    ).toMatchObject({
      accepted: false,
      refused: { reason: 'no-such-hunk' },
    });
    expect(
      acceptDrop(audit, { pipeline: null, forkRepo: null, pr: number, hunkId: dropped.id, actor: bob }),
    ).toMatchObject({
      accepted: true,
      already: false,
    });
    expect(w.services.store.audit.list({ action: 'ledger.accept' }).map((a) => [a.actor.id, a.outcome])).toEqual([
      ['bob', 'done'],
      ['bob', 'refused'],
    ]);
    expect(await approve(w, number)).toMatchObject({ merged: true });
  });

  it('a failing feature guard blocks like a dropped hunk and shows in the PR body', async () => {
    const w = await syncWorld({
      pipeline: { guards: [{ feature: 'OCI', files: ['litellm/oci.py'], patterns: [] }] },
    });
    registerMergeJob(w.services);
    await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
    const result = await w.sync();
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.body).toContain('- ⛔ feature guard **OCI**: litellm/oci.py is missing');
    expect(w.notes.find((n) => n.update.stage === 'pr-open')?.update.ledgerBlock).toEqual({
      dropped: 0,
      guardsFailing: 1,
    });
    const status = await pipelineStatus(w.services, requireReleaseSync(w.config, 'litellm'), null);
    expect(status.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^PR #${pr.number}: 1 feature guard failing \\(OCI: litellm/oci\\.py is missing\\)\\. \\(ledger of [0-9a-f]{7}, built \\d+ min ago\\)$`,
        ),
      ),
    ]);
    await w.sandbox.setCheckRun(FORK, `refs/heads/${SYNC_BRANCH}`, { name: 'test', conclusion: 'success' });
    expect(await approve(w, pr.number)).toEqual({
      merged: false,
      reason: `PR #${pr.number}: 1 feature guard failing (OCI: litellm/oci.py is missing).`,
    });
  });

  it('a conflicted sync defers the ledger to the resolved head', async () => {
    const w = await syncWorld();
    await forkCustomised(w);
    await w.release('1.81.0', { 'litellm/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' });
    const result = await w.sync();
    const pr = w.sandbox.pull(FORK, result.pr!.number);
    expect(pr.body).toContain('classified once they are resolved');
    expect(w.services.ledgers.latest('litellm', { pr: pr.number })?.pendingPaths).toEqual([
      'carto_feature.py',
      'litellm/app.py',
    ]);
  });
  it('reads more guards from a manifest in the fork at the production head (CARTO format)', async () => {
    const w = await syncWorld({ pipeline: { guardsFile: '.github/carto-features.yml' } });
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: {
        'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n',
        '.github/carto-features.yml': [
          'features:',
          '  - name: Carto b',
          '    verification:',
          '      - { pattern: "b = CARTO|b = carto", file: litellm/app.py }',
          '  - name: Carto b, regex read as grep does',
          '    verification:',
          '      - { pattern: "b = CARTO\\\\|nothing", file: litellm/app.py }',
          '  - name: Streaming',
          '    verification:',
          '      - { pattern: _store_session_in_redis, file: litellm/streaming.py }',
          '',
        ].join('\n'),
      },
      message: 'feat: carto b with its manifest',
      as: 'carto-dev',
    });
    await w.release('1.81.0', { 'litellm/new.py': 'new\n' });
    const result = await w.sync();
    expect(w.services.ledgers.latest('litellm', { pr: result.pr!.number })?.guards).toEqual([
      { feature: 'Carto b', ok: false, failures: ['litellm/app.py no longer matches /b = CARTO\\|b = carto/'] },
      { feature: 'Carto b, regex read as grep does', ok: true, failures: [] },
      { feature: 'Streaming', ok: false, failures: ['litellm/streaming.py is missing'] },
    ]);
  });
});
