import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FORK, publishRelease, pyproject } from '../../pipelines/release-sync/harness.js';
import { cliWorld } from './cli-process.js';

describe('upstream-sync status / skip / unskip (real process)', () => {
  it('status tells the truth: open PR, commits behind, last run, and a version-file warning', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0', { 'a.py': 'a\n' });
    await publishRelease(w.sandbox, '1.81.1', { 'b.py': 'b\n' });
    const synced = await w.run(['sync', '--config', w.configFile, '--json']);
    const pr = synced.json[0]!.pr as { number: number; url: string };

    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect(status.code).toBe(0);
    expect(status.json).toEqual([
      expect.objectContaining({
        pipeline: 'litellm',
        state: 'pr-open',
        currentVersion: '1.80.0',
        latestTag: 'v1.81.1-stable',
        commitsBehind: 2,
        openPr: { number: pr.number, url: pr.url, tag: 'v1.81.1-stable' },
        lastRun: expect.objectContaining({ outcome: 'pr-created', pr }),
        warnings: [],
        stale: false,
      }),
    ]);

    await w.sandbox.mergePullAs(FORK, pr.number, 'mateo-di');
    await w.run(['sync', '--config', w.configFile, '--json']);
    // Someone edits the version file by hand to a version upstream never released.
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'pyproject.toml': pyproject('1.81.6') },
      message: 'chore: bump',
      as: 'carto-dev',
    });
    const after = await w.run(['status', '--config', w.configFile, '--json']);
    expect(after.json[0]).toMatchObject({
      state: 'up-to-date',
      currentVersion: '1.81.6',
      lastSyncedTag: 'v1.81.1-stable',
      commitsBehind: 0,
    });
    expect(after.json[0]!.warnings).toEqual([
      'pyproject.toml says 1.81.6, but the last tag actually synced is v1.81.1-stable (1.81.1)',
      'pyproject.toml says 1.81.6, which is not an upstream stable release',
    ]);
    const human = await w.run(['status', '--config', w.configFile]);
    expect(human.stdout.join('\n')).toContain('warning: pyproject.toml says 1.81.6');
  });

  it('skip keeps a release from being proposed until unskip', async () => {
    const w = await cliWorld();
    await publishRelease(w.sandbox, '1.81.0');
    const dry = await w.run(['skip', 'v1.81.0-stable', '--config', w.configFile, '--json', '--dry-run']);
    expect(dry.json).toEqual([
      {
        pipeline: 'litellm',
        action: 'skip',
        tag: 'v1.81.0-stable',
        ok: true,
        changed: true,
        skipped: [],
        wouldClose: null,
        dryRun: true,
      },
    ]);
    const skip = await w.run(['skip', 'v1.81.0-stable', '--config', w.configFile, '--json', '--reason', 'breaks OCI']);
    expect(skip.json).toEqual([
      {
        pipeline: 'litellm',
        action: 'skip',
        tag: 'v1.81.0-stable',
        ok: true,
        jobId: expect.any(Number),
        changed: true,
        skipped: ['v1.81.0-stable'],
        closed: null,
        dryRun: false,
      },
    ]);
    expect((await w.run(['sync', '--config', w.configFile, '--json'])).json[0]).toMatchObject({
      outcome: 'up-to-date',
      pr: null,
    });
    expect(w.sandbox.pulls(FORK)).toHaveLength(0);
    expect((await w.run(['skip', '--config', w.configFile, '--json', '--', '--upload-pack=x'])).code).toBe(2);
    const unskip = await w.run(['unskip', 'v1.81.0-stable', '--config', w.configFile, '--json']);
    expect(unskip.json[0]).toMatchObject({ action: 'unskip', changed: true, skipped: [] });
    expect((await w.run(['sync', '--config', w.configFile, '--json'])).json[0]).toMatchObject({
      outcome: 'pr-created',
    });
  });

  it("drives a dry run of CARTO's examples/carto-litellm.yml without Slack variables", async () => {
    const w = await cliWorld({ config: await readFile('examples/carto-litellm.yml', 'utf8') });
    await publishRelease(w.sandbox, '1.81.0', { 'litellm/proxy/_experimental/out/index.html': '<html>up</html>\n' });
    const run = await w.run(['sync', '--config', w.configFile, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(run.json).toEqual([
      expect.objectContaining({
        pipeline: 'litellm',
        outcome: 'pr-created',
        currentVersion: '1.80.0',
        latestTag: 'v1.81.0-stable',
        dryRun: true,
        pr: null,
      }),
    ]);
    expect(w.sandbox.mutatingRequests()).toEqual([]);
  });
});
