import { describe, expect, it } from 'vitest';
import { notParsing } from '../../src/cli/bench-parse-check.js';

// Results that no longer parse although both sides did are reported apart: a merge that breaks the file.

describe('results that do not parse while both sides do', () => {
  it('lists Python, JSON, YAML and TOML results that break, and not ones whose sides were already broken', async () => {
    const r = await notParsing([
      { id: 'py', path: 'a.py', result: 'def f(:\n', sides: ['def f():\n    pass\n', 'x = 1\n'] },
      { id: 'py-ok', path: 'b.py', result: 'x = 2\n', sides: ['x = 1\n', 'x = 3\n'] },
      { id: 'py-was-broken', path: 'c.py', result: 'def (\n', sides: ['def (\n', 'x = 1\n'] },
      { id: 'json', path: 'a.json', result: '{"a": 1,,}', sides: ['{"a": 1}', '{"b": 2}'] },
      { id: 'yaml', path: 'a.yaml', result: 'a: 1\na: 2\n', sides: ['a: 1\n', 'a: 2\n'] },
      { id: 'toml', path: 'a.toml', result: 'a = \n', sides: ['a = 1\n', 'a = 2\n'] },
    ]);
    if (!r.checked) expect(r.note).toMatch(/python3/);
    const ids = r.cases.map((c) => c.id).sort();
    expect(ids).toEqual(r.checked ? ['json', 'py', 'toml', 'yaml'] : ['json', 'toml', 'yaml']);
  });
});
