import { describe, expect, it } from 'vitest';
import { createGitHubCi } from '../../../src/adapters/github/github-ci.js';
import { SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { seedLitellm, startGitHub } from '../../sandbox/github/fixture.js';

// The CI fixer's reads over the REST API against the stand-in: failed check runs (an Actions run's
// id is its job's id) and statuses of a commit, and a job's log as text.

describe('GitHubCiAdapter', () => {
  it('lists the failed checks of a commit and reads an Actions job log', async () => {
    const { sandbox } = await startGitHub();
    const { cartoMain } = await seedLitellm(sandbox);
    const ci = createGitHubCi({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING });
    await sandbox.setCheckRun('CartoDB/litellm', cartoMain, {
      name: 'lint',
      conclusion: 'failure',
      log: 'E501 line too long\n',
    });
    await sandbox.setCheckRun('CartoDB/litellm', cartoMain, { name: 'test', conclusion: 'success' });
    await sandbox.setCheckRun('CartoDB/litellm', cartoMain, { name: 'build', conclusion: 'failure' });
    await sandbox.setStatus('CartoDB/litellm', cartoMain, {
      context: 'ci/legacy',
      state: 'error',
      description: 'boom',
    });
    await sandbox.setStatus('CartoDB/litellm', cartoMain, { context: 'ci/ok', state: 'success' });

    const failed = await ci.failedChecks('CartoDB/litellm', cartoMain);
    expect(failed.map((f) => [f.name, f.source, f.conclusion])).toEqual([
      ['lint', 'check-run', 'failure'],
      ['build', 'check-run', 'failure'],
      ['ci/legacy', 'status', 'error'],
    ]);
    expect(failed[2]!.output).toBe('boom');
    const lint = failed[0]!;
    expect(lint.jobId).not.toBeNull();
    expect(await ci.jobLog('CartoDB/litellm', lint.jobId!)).toBe('E501 line too long\n');
    // A job without a log (expired, or never uploaded) is null, not an error.
    expect(await ci.jobLog('CartoDB/litellm', failed[1]!.jobId!)).toBeNull();
    sandbox.assertNoUnexpectedRequests();
  });

  it('reads the checks branch protection requires (none when unprotected)', async () => {
    const { sandbox } = await startGitHub();
    await seedLitellm(sandbox);
    const ci = createGitHubCi({ token: sandbox.token, baseUrl: sandbox.url, tuning: SANDBOX_CLIENT_TUNING });
    expect(await ci.requiredChecks('CartoDB/litellm', 'carto/main')).toEqual([]);
    await sandbox.protectBranch('CartoDB/litellm', 'carto/main', { requiredChecks: ['test', 'ci/legacy'] });
    expect(await ci.requiredChecks('CartoDB/litellm', 'carto/main')).toEqual(['test', 'ci/legacy']);
    // Protected without required checks: nothing is required.
    await sandbox.protectBranch('CartoDB/litellm', 'carto/main');
    expect(await ci.requiredChecks('CartoDB/litellm', 'carto/main')).toEqual([]);
    sandbox.assertNoUnexpectedRequests();
  });
});
