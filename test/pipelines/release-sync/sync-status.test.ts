import { firstReleaseSync } from '../../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import { pipelineStatus, versionWarnings } from '../../../src/pipelines/release-sync/sync-status.js';
import { syncWorld } from './harness.js';

describe('pipelineStatus', () => {
  it('reads the truth live and falls back to the cached facts, marked stale, when GitHub is down', async () => {
    const w = await syncWorld();
    await w.release('1.81.0', { 'x.py': 'x\n' });
    const p = firstReleaseSync(w.config);
    const live = await pipelineStatus(w.services, p, new Date('2026-03-09T12:00:00Z'));
    expect(live).toMatchObject({
      state: 'behind',
      currentVersion: '1.80.0',
      latestTag: 'v1.81.0-stable',
      commitsBehind: 1,
      openPr: null,
      stale: false,
      nextRunAt: '2026-03-09T12:00:00.000Z',
    });
    w.sandbox.faults.inject({ status: 503, times: Infinity });
    const down = await pipelineStatus(w.services, p, null);
    expect(down).toMatchObject({
      state: 'behind',
      currentVersion: '1.80.0',
      latestTag: 'v1.81.0-stable',
      commitsBehind: 1,
      stale: true,
      error: { code: 'unavailable' },
    });
  });
});

describe('versionWarnings', () => {
  it.each<[string, string | null, { tag: string; version: string } | null, string | null, string[]]>([
    ['agreeing', '1.81.9', { tag: 'v1.81.9-stable', version: '1.81.9' }, 'v1.81.9-stable', []],
    ['never synced yet', '1.81.9', null, 'v1.81.9-stable', []],
    [
      'file ahead of what was synced',
      '1.81.6',
      { tag: 'v1.81.3-stable', version: '1.81.3' },
      'v1.81.6-stable',
      ['pyproject.toml says 1.81.6, but the last tag actually synced is v1.81.3-stable (1.81.3)'],
    ],
    [
      'a version upstream never released',
      '1.81.6',
      null,
      null,
      ['pyproject.toml says 1.81.6, which is not an upstream stable release'],
    ],
  ])('%s', (_name, version, synced, currentTag, expected) => {
    expect(versionWarnings({ name: 'pyproject.toml', version }, synced, currentTag)).toEqual(expected);
  });
});
