import { describe, expect, it } from 'vitest';
import { formatBenchSummary, summarizeBench } from '../../../src/core/resolve/bench-summary.js';
import { agreementWithLanded } from '../../../src/core/resolve/corpus-case.js';
import { resolveFile } from '../../../src/core/resolve/resolve-file.js';

// Two hunks: a list both sides extended (list-union decides it) and a real disagreement (left open).
const BASE = 'P = [\n    "a",\n]\n\n\ndef f():\n    return 1\n';
const UP = 'P = [\n    "a",\n    "heroku",\n]\n\n\ndef f():\n    return 2\n';
const FORK = 'P = [\n    "a",\n    "oci",\n]\n\n\ndef f():\n    return 3\n';

describe('bench agreement with what landed', () => {
  const resolution = resolveFile({ versions: { path: 'p.py', base: BASE, upstream: UP, fork: FORK } });

  it.each([
    {
      name: 'people landed the same union',
      landed: 'P = [\n    "a",\n    "heroku",\n    "oci",\n]\n\n\ndef f():\n    return 3\n',
      want: [{ by: 'list-union', agreed: true }],
    },
    {
      name: 'people ordered the entries the other way',
      landed: 'P = [\n    "a",\n    "oci",\n    "heroku",\n]\n\n\ndef f():\n    return 3\n',
      want: [{ by: 'list-union', agreed: false }],
    },
    {
      name: 'people also changed text between the hunks',
      landed: 'P = [\n    "a",\n    "heroku",\n    "oci",\n]\n\n\ndef g():\n    return 3\n',
      want: [],
    },
  ])('$name', ({ landed, want }) => {
    expect(agreementWithLanded(resolution, landed)).toEqual(want);
  });

  it('tallies right:wrong per strategy and prints it', () => {
    const s = summarizeBench([
      { id: 'a', present: true, outcomes: resolution.outcomes, agreement: [{ by: 'list-union', agreed: true }] },
      {
        id: 'b',
        present: true,
        outcomes: resolution.outcomes,
        agreement: [
          { by: 'list-union', agreed: false },
          { by: 'memory', agreed: true },
        ],
      },
    ]);
    expect(s.agreement).toEqual({ 'list-union': { agreed: 1, disagreed: 1 }, memory: { agreed: 1, disagreed: 0 } });
    expect(formatBenchSummary(s, { out: '/tmp/x', learn: false })).toContain(
      'landed as decided (hunks, right:wrong): list-union 1:1, memory 1:0',
    );
  });
});
