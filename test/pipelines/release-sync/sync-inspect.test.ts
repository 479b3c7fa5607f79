import { firstReleaseSync } from '../../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { inspect } from '../../../src/pipelines/release-sync/sync-inspect.js';
import { FORK, pyproject, syncWorld } from './harness.js';

// The plan is a returned decision; inspect() is the edge that turns "no plan possible" into the
// one AppError people see, naming the file to fix.

describe('inspect', () => {
  it('fails with a validation error naming the version file when production’s version is not semver', async () => {
    const w = await syncWorld();
    await w.release('1.81.0', { 'x.py': 'x\n' });
    await w.sandbox.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'pyproject.toml': pyproject('dev') },
      message: 'chore: version dev',
    });
    const p = firstReleaseSync(w.config);
    const failure = await inspect(w.services, p).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: 'validation',
      message: 'pyproject.toml: the current version "dev" is not semver',
      details: { pipeline: 'litellm' },
    });
  });

  it('plans a sync when production’s version is behind the newest release', async () => {
    const w = await syncWorld();
    await w.release('1.81.0', { 'x.py': 'x\n' });
    const found = await inspect(w.services, firstReleaseSync(w.config));
    expect(found).toMatchObject({
      currentVersion: '1.80.0',
      plan: { action: 'sync', target: { tag: 'v1.81.0-stable' } },
    });
  });
});
