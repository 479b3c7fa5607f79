import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { jobIdentity } from '../../../src/jobs/job-kinds.js';
import { JobRunner } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';

const SYNC = (w: { configFile: string }, ...extra: string[]) => ['sync', '--config', w.configFile, '--json', ...extra];

describe('upstream-sync sync (real process, GitHub stand-in)', () => {
  it('clean release → one JSON line, a PR, exit 0; logs on stderr only; data dir created', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'new\n' });
    const run = await w.run(SYNC(w));
    expect(run.code).toBe(0);
    expect(run.json).toEqual([
      {
        pipeline: 'litellm',
        outcome: 'pr-created',
        currentVersion: '1.80.0',
        latestTag: 'v1.81.0-stable',
        pr: { number: expect.any(Number), url: expect.stringContaining('/CartoDB/litellm/pull/') },
        conflicts: [],
        dryRun: false,
        skipped: [],
        next: null,
      },
    ]);
    expect(run.stderr).toContain('"msg":"job succeeded"');
    expect(run.stderr).not.toContain(w.sandbox.token);
    await access(w.dataDir);
    const pr = w.sandbox.pull(FORK, (run.json[0]!.pr as { number: number }).number);
    expect(pr.labels).toEqual(expect.arrayContaining(['upstream-sync', 'automated', 'clean-merge']));
    expect((run.json[0]!.pr as { url: string }).url).toMatch(new RegExp(`/CartoDB/litellm/pull/${pr.number}$`));
  });

  it('conflicting release → conflicts label and every conflicted path', async () => {
    const w = await cliWorld();
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/app.py': 'a = 1\nb = CARTO\nc = 3\n', Makefile: 'carto:\n' },
      message: 'feat: carto',
      as: 'carto-dev',
    });
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/app.py': 'a = 1\nb = UP\nc = 3\n', Makefile: 'upstream:\n' });
    const run = await w.run(SYNC(w));
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({ outcome: 'pr-created', conflicts: ['Makefile', 'litellm/app.py'] });
    expect(w.sandbox.pull(FORK, (run.json[0]!.pr as { number: number }).number).labels).toContain('conflicts');
  });

  it('nothing new → up-to-date with zero mutating calls; a second run opens no second PR', async () => {
    const w = await cliWorld();
    const idle = await w.run(SYNC(w));
    expect(idle.json[0]).toMatchObject({ outcome: 'up-to-date', pr: null, latestTag: 'v1.80.0-stable' });
    expect(w.sandbox.mutatingRequests()).toEqual([]);

    await publishRelease(w.sandbox, '1.81.0');
    const first = await w.run(SYNC(w));
    const before = w.sandbox.mutatingRequests().length;
    const second = await w.run(SYNC(w));
    expect(second.json[0]).toMatchObject({ outcome: 'pr-exists', pr: first.json[0]!.pr });
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
  });

  it('--dry-run: plan and conflicts, no push, no mutating API call', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    const run = await w.run(SYNC(w, '--dry-run'));
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({ outcome: 'pr-created', dryRun: true, pr: null, latestTag: 'v1.81.0-stable' });
    expect(w.sandbox.mutatingRequests()).toEqual([]);
  });

  it('--tag syncs the named release; refusals say why (exit 2 when it is no release, else 0)', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    await publishRelease(w.sandbox, '1.82.0');
    const run = await w.run(SYNC(w, '--tag', 'v1.81.0-stable'));
    expect(run.code).toBe(0);
    expect(run.json).toEqual([
      expect.objectContaining({ outcome: 'pr-created', requestedTag: 'v1.81.0-stable', latestTag: 'v1.81.0-stable' }),
    ]);
    expect(w.sandbox.pulls(FORK).map((p) => p.headRef)).toEqual(['upstream-sync/v1.81.0-stable']);

    const before = w.sandbox.mutatingRequests().length;
    const notRelease = await w.run(SYNC(w, '--tag', 'v1.90.0-stable'));
    expect(notRelease.code).toBe(2);
    expect(notRelease.json[0]).toMatchObject({
      outcome: 'refused',
      refused: { reason: 'not-a-release', message: expect.stringContaining('not a stable upstream release') },
    });
    const older = await w.run(['sync', '--config', w.configFile, '--tag', 'v1.80.0-stable']);
    expect(older.code).toBe(0);
    expect(older.stdout).toEqual([
      'litellm: refused; asked for v1.80.0-stable; v1.80.0-stable (1.80.0) is not newer than production (1.80.0); current 1.80.0; latest v1.82.0-stable',
    ]);
    const hostile = await w.run(SYNC(w, '--tag', 'v1;touch x'));
    expect([hostile.code, hostile.stdout]).toEqual([2, []]);
    expect(hostile.stderr).toContain('not a valid tag "v1;touch x"');
    expect(w.sandbox.mutatingRequests().slice(before)).toEqual([]);
  });

  it('--tag while another sync of the pipeline is queued: told so, exit 0, and that sync is left alone', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    const store = openStore(w.dataDir);
    const queued = await new JobRunner({ store: store.jobs, log: silentLogger() }).enqueue({
      ...jobIdentity.sync('litellm'),
      data: { pipeline: 'litellm' },
      requestedBy: { kind: 'cron', id: 'litellm' },
    });
    const run = await w.run(SYNC(w, '--tag', 'v1.81.0-stable'));
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({
      outcome: 'refused',
      requestedTag: 'v1.81.0-stable',
      refused: {
        reason: 'busy',
        message: expect.stringContaining(`already queued (job ${queued.job.id}, for the newest release)`),
      },
    });
    expect(store.jobs.get(queued.job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    store.close();
    expect(w.sandbox.mutatingRequests()).toEqual([]);
  });

  it('usage and configuration errors exit 2', async () => {
    const w = await cliWorld({ seed: false });
    const unknown = await w.run(SYNC(w, '--pipeline', 'nope'));
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toEqual([]);
    expect(unknown.stderr).toContain('unknown pipeline "nope"');
    await writeFile(w.configFile, 'pipelines: []\n');
    expect((await w.run(SYNC(w))).code).toBe(2);
    expect((await w.run(['sync', '--config', `${w.configFile}.missing`])).code).toBe(2);
    expect((await w.run(['sync', '--bogus'])).code).toBe(2);
  });

  it('a job that fails exits 1 with a failed line', async () => {
    const w = await cliWorld();
    await w.sandbox.git(FORK, ['update-ref', '-d', 'refs/heads/carto/main']);
    const run = await w.run(SYNC(w));
    expect(run.code).toBe(1);
    expect(run.json[0]).toMatchObject({ pipeline: 'litellm', outcome: 'failed', error: { code: 'not_found' } });
  });

  it('hostile release tags are listed as skipped, never executed, and are not a failure', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    const marker = join(w.dataDir, '..', 'pwned');
    const octokit = createGitHubAdapter({ token: w.sandbox.token, baseUrl: w.sandbox.url }).octokit;
    const hostile = [
      `--upload-pack=touch ${marker}`,
      `v1.99.0-stable;touch ${marker}`,
      'v1.98.0-stable $(id)',
      'v1.97..0-stable',
    ];
    for (const [i, tag] of hostile.entries()) {
      const record = await w.sandbox.addRelease('BerriAI/litellm', { tag: `placeholder-${i}` });
      await octokit.rest.repos.updateRelease({
        owner: 'BerriAI',
        repo: 'litellm',
        release_id: record.id,
        tag_name: tag,
      });
    }
    const run = await w.run(SYNC(w));
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({ outcome: 'pr-created', latestTag: 'v1.81.0-stable' });
    const skipped = run.json[0]!.skipped as Array<{ tag: string; reason: string }>;
    expect(skipped.map((s) => s.tag).sort()).toEqual([...hostile].sort());
    await expect(access(marker)).rejects.toThrow();
  });

  it('rides out GitHub 5xx and secondary rate limits on REST and git', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    w.sandbox.faults.inject({ method: 'GET', path: '/repos/BerriAI/litellm/releases', status: 502, times: 2 });
    w.sandbox.faults.secondaryRateLimit({ method: 'POST', path: '/repos/CartoDB/litellm/pulls' });
    w.sandbox.faults.secondaryRateLimit({ method: 'GET', path: '/repos/CartoDB/litellm/pulls' });
    w.sandbox.faults.inject({ method: 'POST', path: /\/labels$/, status: 503 });
    w.sandbox.faults.inject({ method: 'GET', path: '/BerriAI/litellm.git/info/refs', status: 502 });
    w.sandbox.faults.inject({ method: 'POST', path: '/CartoDB/litellm.git/git-receive-pack', status: 500 });
    const run = await w.run(SYNC(w));
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({ outcome: 'pr-created' });
    expect(w.sandbox.pulls(FORK)).toHaveLength(1);
    expect(w.sandbox.requests.filter((r) => r.faulted).length).toBe(7);
  });
});
