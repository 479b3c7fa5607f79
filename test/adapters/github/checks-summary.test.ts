import { describe, expect, it } from 'vitest';
import { summarizeChecks } from '../../../src/adapters/github/checks-summary.js';

const run = (name: string, status: string, conclusion: string | null = null) => ({ name, status, conclusion });

describe('summarizeChecks', () => {
  it.each([
    ['nothing reported', [], [], { state: 'none', total: 0, failing: [], pending: [] }],
    [
      'all green',
      [run('lint', 'completed', 'success'), run('e2e', 'completed', 'skipped')],
      [{ context: 'ci', state: 'success' }],
      { state: 'success', total: 3, failing: [], pending: [] },
    ],
    [
      'still running',
      [run('docker', 'in_progress'), run('lint', 'completed', 'neutral')],
      [],
      { state: 'pending', total: 2, failing: [], pending: ['docker'] },
    ],
    [
      'pending status',
      [],
      [{ context: 'ci', state: 'pending' }],
      { state: 'pending', total: 1, failing: [], pending: ['ci'] },
    ],
    [
      'failure beats pending',
      [run('docker', 'queued'), run('tests', 'completed', 'timed_out')],
      [{ context: 'ci', state: 'error' }],
      { state: 'failure', total: 3, failing: ['tests', 'ci'], pending: ['docker'] },
    ],
    [
      'cancelled counts as failing',
      [run('tests', 'completed', 'cancelled')],
      [],
      { state: 'failure', total: 1, failing: ['tests'], pending: [] },
    ],
  ] as const)('%s', (_name, runs, statuses, expected) => {
    expect(summarizeChecks([...runs], [...statuses])).toEqual(expected);
  });
});
