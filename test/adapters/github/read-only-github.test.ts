import { describe, expect, it } from 'vitest';
import { isMutatingGitHubMethod, readOnlyGitHub } from '../../../src/adapters/github/read-only-github.js';
import { AppError } from '../../../src/errors.js';
import { seedLitellm, startGitHub } from '../../sandbox/github/fixture.js';

describe('readOnlyGitHub (--dry-run)', () => {
  it('lets reads through and refuses every write before it reaches GitHub', async () => {
    const { sandbox, github } = await startGitHub();
    const seed = await seedLitellm(sandbox);
    const dry = readOnlyGitHub(github);
    expect((await dry.getRepo('CartoDB/litellm')).defaultBranch).toBe('main');
    expect(await dry.getBranchSha('CartoDB/litellm', 'carto/main')).toBe(seed.cartoMain);

    const writes: [string, () => Promise<unknown>][] = [
      [
        'createPull',
        () => dry.createPull('CartoDB/litellm', { title: 't', head: 'main', base: 'carto/main', body: '' }),
      ],
      ['mergePull', () => dry.mergePull('CartoDB/litellm', 1, { sha: seed.v1 })],
      ['addLabels', () => dry.addLabels('CartoDB/litellm', 1, ['x'])],
      ['createComment', () => dry.createComment('CartoDB/litellm', 1, 'hi')],
      ['createRelease', () => dry.createRelease('CartoDB/litellm', { tag: 'v1', name: 'v1', body: '' })],
      ['deleteBranch', () => dry.deleteBranch('CartoDB/litellm', 'carto/main')],
      ['dispatchWorkflow', () => dry.dispatchWorkflow('CartoDB/litellm', 'w.yml', 'main', {})],
    ];
    for (const [name, write] of writes) {
      const err = await write().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'forbidden', message: `dry run: ${name} on CartoDB/litellm was not sent` });
    }
    expect(sandbox.mutatingRequests()).toEqual([]);
    expect(await github.getBranchSha('CartoDB/litellm', 'carto/main')).toBe(seed.cartoMain);
  });

  it('classifies every mutating method as a write', () => {
    for (const name of [
      'createRelease',
      'deleteBranch',
      'createPull',
      'updatePull',
      'mergePull',
      'addLabels',
      'removeLabel',
      'requestReviewers',
      'addAssignees',
      'createComment',
      'updateComment',
      'dispatchWorkflow',
      'dispatchRepository',
    ] as const) {
      expect(isMutatingGitHubMethod(name)).toBe(true);
    }
    for (const name of [
      'getRepo',
      'listReleases',
      'getPull',
      'listPulls',
      'getChecks',
      'compare',
      'listComments',
    ] as const) {
      expect(isMutatingGitHubMethod(name)).toBe(false);
    }
  });
});
