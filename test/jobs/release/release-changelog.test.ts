import { describe, expect, it } from 'vitest';
import { pullMergedEvent, releasePublishedEvent } from '../../../src/jobs/release-changelog.js';
import { cartoConfig, FORK, releaseWorld, seedCartoHistory } from './release-world.js';

const withChangelog = () => cartoConfig({ pipeline: { slack: { channel: 'C09K0M5MP7V', changelog: true } } });

describe('changelog cards from GitHub events', () => {
  it('a PR merged into production: type, impact, files and ± from the PR, version from production', async () => {
    const world = await releaseWorld({ config: withChangelog() });
    const history = await seedCartoHistory(world.sandbox, world.github);
    const feature = await pullMergedEvent(world.deps, FORK, history.featurePr);
    expect(feature).toMatchObject({
      pipeline: 'litellm',
      card: { number: history.featurePr, type: 'update', impact: 'Core', fileCount: 2, topFiles: ['litellm/llms/oci/chat.py', 'tests/test_oci.py'], author: world.sandbox.login, upstream: '1.81.3' },
    });
    expect(feature!.card.additions).toBeGreaterThan(0);
    const sync = await pullMergedEvent(world.deps, FORK, history.syncPr);
    expect(sync?.card).toMatchObject({ type: 'upstream-sync', typeLabel: 'Upstream Sync', emoji: '🔄', upstream: '1.81.9' });
  });

  it('no card when the pipeline has no changelog or the PR is not merged', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    expect(await pullMergedEvent(world.deps, FORK, history.featurePr)).toBeNull();
    const open = await releaseWorld({ config: withChangelog() });
    const h2 = await seedCartoHistory(open.sandbox, open.github);
    await open.sandbox.pushCommit(FORK, { branch: 'feature/open', from: h2.head, files: { 'a.py': 'a\n' }, message: 'fix: a' });
    const pr = await open.github.createPull(FORK, { title: 'fix: a', head: 'feature/open', base: 'carto/main', body: '' });
    expect(await pullMergedEvent(open.deps, FORK, pr.number)).toBeNull();
  });

  it('a release published by hand: previous release by ancestry, commit count, highlights from its body', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const event = await releasePublishedEvent(world.deps, FORK, 'v1.81.3-carto.1.18.6');
    expect(event).toMatchObject({
      pipeline: 'litellm',
      card: { tag: 'v1.81.3-carto.1.18.6', previousTag: 'v1.81.6-carto.1.18.3', version: '1.18.6', commitCount: 1, kind: 'upstream-sync', typeLabel: 'Upstream Sync (v1.81.6 → v1.81.3)' },
    });
    expect(event!.card.images).toContain('ghcr.io/cartodb/litellm-non_root:carto-v1.81.3-latest');
    expect(await releasePublishedEvent(world.deps, FORK, 'v1.81.9-stable')).toBeNull();
  });
});
