import { describe, expect, it } from 'vitest';
import { readVersion } from '../../../src/core/sync/version-file.js';

const PYPROJECT = `
[tool.black]
version = "not-this-one"

[tool.poetry]
name = "litellm"
version = "1.81.9"

[project]
version = "2.0.0"
`;

describe('readVersion', () => {
  it.each([
    [
      'TOML key path, not the first version line',
      PYPROJECT,
      { file: 'pyproject.toml', key: 'tool.poetry.version' },
      '1.81.9',
    ],
    ['TOML top-level table', PYPROJECT, { file: 'pyproject.toml', key: 'project.version' }, '2.0.0'],
    ['JSON key path', '{"name":"x","version":"3.1.4"}', { file: 'package.json', key: 'version' }, '3.1.4'],
    ['nested JSON', '{"a":{"b":{"v":"1.0.0"}}}', { file: 'meta.json', key: 'a.b.v' }, '1.0.0'],
    ['unknown extension tries JSON then TOML', 'version = "0.9.1"\n', { file: 'VERSION.cfg', key: 'version' }, '0.9.1'],
    [
      'regex',
      '__version__ = "4.5.6"\n',
      { file: 'litellm/_version.py', pattern: '^__version__ = "(?<version>[^"]+)"' },
      '4.5.6',
    ],
    ['as written, no v added', 'version = "v1.2.3"\n', { file: 'x.toml', key: 'version' }, 'v1.2.3'],
  ])('%s', (_name, text, source, expected) => {
    expect(readVersion(text, source)).toEqual({ ok: true, version: expected });
  });

  it.each([
    [
      'missing key',
      PYPROJECT,
      { file: 'pyproject.toml', key: 'tool.poetry.missing' },
      'has no key tool.poetry.missing',
    ],
    ['not a string', '[tool]\nversion = [1]\n', { file: 'pyproject.toml', key: 'tool.version' }, 'is not a string'],
    [
      'broken TOML',
      '[tool\nversion = "1"',
      { file: 'pyproject.toml', key: 'tool.version' },
      'cannot parse pyproject.toml',
    ],
    ['no regex match', 'nothing here', { file: 'v.txt', pattern: '^(?<version>\\d+\\.\\d+\\.\\d+)$' }, 'no match'],
  ])('reports %s', (_name, text, source, problem) => {
    const result = readVersion(text, source);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });
});
