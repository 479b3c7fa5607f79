import { describe, expect, it } from 'vitest';
import {
  ciFixJobInput,
  changelogJobInput,
  JOB_KINDS,
  learnJobInput,
  mergeJobInput,
  recheckJobInput,
  refreshStatusInput,
  releaseJobInput,
  resolveJobInput,
  skipJobInput,
  syncJobInput,
} from '../../src/jobs/job-kinds.js';
import type { Actor } from '../../src/ports.js';

// The one spelling of every job's identity: the dedupe keys and locks below are what makes a
// click, a cron tick and a webhook collapse into one job, so they must not drift.

const P = { id: 'litellm', fork: { repo: 'CartoDB/litellm' } };
const by: Actor = { kind: 'cli', id: 'ops' };

describe('job kinds', () => {
  it('lists exactly the kinds the app registers', () => {
    expect([...JOB_KINDS].sort()).toEqual(
      [
        'changelog',
        'ci-fix',
        'ledger-restore',
        'learn',
        'merge',
        'prune-audit',
        'recheck',
        'refresh-status',
        'release',
        'resolve',
        'skip',
        'sync',
      ].sort(),
    );
  });

  it.each([
    ['sync', syncJobInput({ pipeline: 'litellm', tag: 'v1' }, by), 'sync:litellm', ['pipeline:litellm'], undefined],
    [
      'resolve',
      resolveJobInput(P, 12, by),
      'resolve:CartoDB/litellm#12',
      ['pipeline:litellm', 'pr:CartoDB/litellm#12'],
      undefined,
    ],
    [
      'learn',
      learnJobInput(P, 12, 'a'.repeat(40), by),
      'learn:CartoDB/litellm#12',
      ['pr:CartoDB/litellm#12'],
      undefined,
    ],
    [
      'merge',
      mergeJobInput(P, { pipeline: 'litellm', tag: 'v1', pr: 12 }, by),
      'merge:CartoDB/litellm#12',
      ['pipeline:litellm', 'pr:CartoDB/litellm#12'],
      3,
    ],
    [
      'skip',
      skipJobInput(P, { pipeline: 'litellm', tag: 'v1', pr: null }, by),
      'skip:litellm:v1',
      ['pipeline:litellm'],
      5,
    ],
    ['recheck', recheckJobInput(P, null, by), 'recheck:litellm@head', ['pipeline:litellm'], 5],
    [
      'ci-fix',
      ciFixJobInput(P, { pr: 12, headSha: 'a'.repeat(40) }, by),
      `ci-fix:CartoDB/litellm#12@${'a'.repeat(40)}`,
      ['pipeline:litellm', 'pr:CartoDB/litellm#12'],
      5,
    ],
    ['refresh-status', refreshStatusInput('litellm', by), 'refresh-status:litellm', undefined, 1],
    [
      'release',
      releaseJobInput({ pipeline: 'litellm', bump: 'auto' }, by),
      'release:litellm',
      ['pipeline:litellm'],
      undefined,
    ],
    [
      'changelog',
      changelogJobInput('litellm', { kind: 'release', repo: 'CartoDB/litellm', tag: 'v1' }, by),
      'changelog:CartoDB/litellm@v1',
      undefined,
      undefined,
    ],
  ])('%s: dedupe key, locks and attempts', (kind, input, dedupeKey, locks, maxAttempts) => {
    expect(input).toMatchObject({ kind, pipeline: 'litellm', dedupeKey, requestedBy: by });
    expect(input.locks).toEqual(locks);
    expect(input.maxAttempts).toBe(maxAttempts);
    expect(JOB_KINDS).toContain(input.kind);
  });

  it('carries a person’s hunk decisions only when there are some', () => {
    const decision = { hunkId: 'h1', take: 'fork' as const, by };
    expect(resolveJobInput(P, 12, by).data).toEqual({ pipeline: 'litellm', repo: 'CartoDB/litellm', pr: 12 });
    expect(resolveJobInput(P, 12, by, []).data).not.toHaveProperty('decisions');
    expect(resolveJobInput(P, 12, by, [decision]).data.decisions).toEqual([decision]);
  });
});
