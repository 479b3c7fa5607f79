import { describe, expect, it } from 'vitest';
import { compileRules, DEFAULT_RULES } from '../../../src/core/resolve/path-rules.js';

describe('path rules', () => {
  const configured = [
    { paths: ['enterprise/dist/**'], take: 'fork' as const, reason: 'deleted on purpose' },
    { paths: ['.github/workflows/carto-*'], take: 'fork' as const },
    { paths: ['**/*.py'], take: 'merge' as const },
  ];

  it.each([
    { path: 'enterprise/dist/x.whl', take: 'fork', builtIn: false },
    { path: 'litellm/proxy/_experimental/out/index.html', take: 'upstream', builtIn: true },
    { path: 'ui/litellm-dashboard/out/404.html', take: 'upstream', builtIn: true },
    { path: 'static/app.min.js', take: 'upstream', builtIn: true },
    { path: '.github/workflows/carto-release.yml', take: 'fork', builtIn: false },
    { path: 'litellm/main.py', take: 'merge', builtIn: false },
    { path: 'README.md', take: null, builtIn: false },
  ])('$path → $take', ({ path, take, builtIn }) => {
    const hit = compileRules(configured, true).match(path);
    expect(hit?.rule.take ?? null).toBe(take);
    if (hit) expect(hit.builtIn).toBe(builtIn);
  });

  it('first match wins: a configured rule shadows the built-in default for the same path', () => {
    const hit = compileRules(configured, true).match('enterprise/dist/a.tar.gz');
    expect(hit).toMatchObject({ glob: 'enterprise/dist/**', index: 0, builtIn: false });
  });

  it('defaults can be switched off', () => {
    expect(compileRules([], false).match('a/dist/b.js')).toBeNull();
    expect(compileRules([], true).rules).toEqual(DEFAULT_RULES);
  });
});
