import { describe, expect, it } from 'vitest';
import {
  changelogJob,
  changelogJobFor,
  pullMergedEvent,
  releasePublishedEvent,
} from '../../../src/workflows/release/release-changelog.js';
import { cartoConfig, FORK, releaseWorld, seedCartoHistory } from './release-world.js';

const withChangelog = () => cartoConfig({ pipeline: { slack: { channel: 'C09K0M5MP7V', changelog: true } } });

describe('changelog cards from GitHub events', () => {
  it('a PR merged into production: type, impact, files and ± from the PR, version from production', async () => {
    const world = await releaseWorld({ config: withChangelog() });
    const history = await seedCartoHistory(world.sandbox, world.github);
    const feature = await pullMergedEvent(world.deps, FORK, history.featurePr);
    expect(feature).toMatchObject({
      pipeline: 'litellm',
      card: {
        number: history.featurePr,
        type: 'update',
        impact: 'Core',
        fileCount: 2,
        topFiles: ['litellm/llms/oci/chat.py', 'tests/test_oci.py'],
        author: world.sandbox.login,
        upstream: '1.81.3',
      },
    });
    expect(feature!.card.additions).toBeGreaterThan(0);
    const sync = await pullMergedEvent(world.deps, FORK, history.syncPr);
    expect(sync?.card).toMatchObject({
      type: 'upstream-sync',
      typeLabel: 'Upstream Sync',
      emoji: '🔄',
      upstream: '1.81.9',
    });
  });

  it("names the impact with the pipeline's slack.changelogImpact rules", async () => {
    const impact = [
      { label: 'Providers', paths: ['litellm/llms/**'] },
      { label: 'Proxy', paths: ['litellm/proxy/**'] },
    ];
    const world = await releaseWorld({
      config: cartoConfig({
        pipeline: { slack: { channel: 'C09K0M5MP7V', changelog: true, changelogImpact: impact } },
      }),
    });
    const history = await seedCartoHistory(world.sandbox, world.github);
    expect((await pullMergedEvent(world.deps, FORK, history.featurePr))?.card).toMatchObject({
      impact: 'Providers',
      topFiles: ['litellm/llms/oci/chat.py', 'tests/test_oci.py'],
    });
  });

  it('no card when the pipeline has no changelog or the PR is not merged', async () => {
    const world = await releaseWorld();
    const history = await seedCartoHistory(world.sandbox, world.github);
    expect(await pullMergedEvent(world.deps, FORK, history.featurePr)).toBeNull();
    const open = await releaseWorld({ config: withChangelog() });
    const h2 = await seedCartoHistory(open.sandbox, open.github);
    await open.sandbox.pushCommit(FORK, {
      branch: 'feature/open',
      from: h2.head,
      files: { 'a.py': 'a\n' },
      message: 'fix: a',
    });
    const pr = await open.github.createPull(FORK, {
      title: 'fix: a',
      head: 'feature/open',
      base: 'carto/main',
      body: '',
    });
    expect(await pullMergedEvent(open.deps, FORK, pr.number)).toBeNull();
  });

  it('a release published by hand: previous release by ancestry, commit count, highlights from its body', async () => {
    const world = await releaseWorld();
    await seedCartoHistory(world.sandbox, world.github);
    const event = await releasePublishedEvent(world.deps, FORK, 'v1.81.3-carto.1.18.6');
    expect(event).toMatchObject({
      pipeline: 'litellm',
      card: {
        tag: 'v1.81.3-carto.1.18.6',
        previousTag: 'v1.81.6-carto.1.18.3',
        version: '1.18.6',
        commitCount: 1,
        kind: 'upstream-sync',
        typeLabel: 'Upstream Sync (v1.81.6 → v1.81.3)',
      },
    });
    expect(event!.card.images).toContain('ghcr.io/cartodb/litellm-non_root:carto-v1.81.3-latest');
    expect(await releasePublishedEvent(world.deps, FORK, 'v1.81.9-stable')).toBeNull();
  });

  it.each([
    [
      'pull_request.closed',
      { repository: { full_name: FORK }, pull_request: { merged: true, number: 7, base: { ref: 'carto/main' } } },
      'changelog:CartoDB/litellm#7',
    ],
    [
      'pull_request.closed',
      { repository: { full_name: FORK }, pull_request: { merged: false, number: 7, base: { ref: 'carto/main' } } },
      null,
    ],
    [
      'pull_request.closed',
      { repository: { full_name: FORK }, pull_request: { merged: true, number: 7, base: { ref: 'main' } } },
      null,
    ],
    [
      'pull_request.closed',
      {
        repository: { full_name: 'Other/repo' },
        pull_request: { merged: true, number: 7, base: { ref: 'carto/main' } },
      },
      null,
    ],
    [
      'release.published',
      { repository: { full_name: FORK }, release: { tag_name: 'v1.81.9-carto.1.19.0', draft: false } },
      'changelog:CartoDB/litellm@v1.81.9-carto.1.19.0',
    ],
    ['release.published', { repository: { full_name: FORK }, release: { tag_name: 'x', draft: true } }, null],
    ['push', { repository: { full_name: FORK } }, null],
    // Shapes checked at the edge (zod): anything else gets no card.
    [
      'pull_request.closed',
      { repository: { full_name: FORK }, pull_request: { merged: true, number: '7', base: { ref: 'carto/main' } } },
      null,
    ],
    ['pull_request.closed', { repository: { full_name: FORK }, pull_request: { merged: true, number: 7 } }, null],
    ['release.published', { repository: {}, release: { tag_name: 'v1.81.9-carto.1.19.0', draft: false } }, null],
    ['release.published', { repository: { full_name: FORK }, release: { tag_name: 42 } }, null],
    ['pull_request.closed', null, null],
  ])('%s delivery → %s', (event, payload, dedupeKey) => {
    expect(changelogJobFor(withChangelog(), event, payload)?.dedupeKey ?? null).toBe(dedupeKey);
  });

  it('the changelog job posts the card of a merged PR once', async () => {
    const world = await releaseWorld({ config: withChangelog() });
    const history = await seedCartoHistory(world.sandbox, world.github);
    world.runner.register(changelogJob({ ...world.deps, notifier: world.notifier }));
    const input = changelogJobFor(withChangelog(), 'pull_request.closed', {
      repository: { full_name: FORK },
      pull_request: { merged: true, number: history.syncPr, base: { ref: 'carto/main' } },
    })!;
    await world.runner.enqueue(input);
    await world.runner.runUntilIdle({ timeoutMs: 30_000 });
    expect(world.notifier.pulls.map((p) => [p.pipeline, p.card.number, p.card.type])).toEqual([
      ['litellm', history.syncPr, 'upstream-sync'],
    ]);
  });
});
