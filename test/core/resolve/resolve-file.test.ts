import { describe, expect, it } from 'vitest';
import { parseConflictText } from '../../../src/core/resolve/conflict-text.js';
import { hunkKey } from '../../../src/core/resolve/hunk-key.js';
import { hunksOf, merge3 } from '../../../src/core/resolve/merge3.js';
import { compileRules } from '../../../src/core/resolve/path-rules.js';
import { resolveFile, type RememberedHunk } from '../../../src/core/resolve/resolve-file.js';
import { LAYERS } from '../../../src/core/resolve/layers.js';

// Every layer on, whatever its measured default: these tests are about what each layer does.
const ALL_ON = Object.fromEntries(LAYERS.map((l) => [l.name, true]));

const rules = compileRules(
  [
    { paths: ['enterprise/dist/**'], take: 'fork', reason: 'deleted on purpose' },
    { paths: ['Dockerfile'], take: 'manual' },
  ],
  true,
);

const BASE = 'a\nb\nc\n';
const UP = 'a\nupstream\nc\n';
const FORK = 'a\nfork\nc\n';

describe('resolveFile', () => {
  it('a take-upstream rule decides the whole file, hunk by hunk in the log', () => {
    const r = resolveFile({ versions: { path: 'ui/out/index.html', base: BASE, upstream: UP, fork: FORK }, rules });
    expect(r.result).toEqual({ content: UP });
    expect(r.outcomes).toEqual([
      expect.objectContaining({ hunk: 0, layer: 'rule', by: '**/out/**', text: 'upstream\n' }),
    ]);
  });

  it('a take-fork rule keeps a deletion the fork made on purpose', () => {
    const r = resolveFile({
      versions: { path: 'enterprise/dist/x.tar.gz', base: BASE, upstream: UP, fork: null },
      rules,
    });
    expect(r.deletedBy).toBe('fork');
    expect(r.result).toEqual({ content: null });
    expect(r.outcomes[0]?.rationale).toContain('deleted on purpose');
  });

  it('a manual rule leaves every hunk to a person, even ones a strategy could decide', () => {
    const r = resolveFile({
      versions: { path: 'Dockerfile', base: 'x\n', upstream: 'x\n"a",\n', fork: 'x\n"b",\n' },
      rules,
    });
    expect(r.result).toBeUndefined();
    expect(r.outcomes).toEqual([
      expect.objectContaining({ layer: null, rationale: expect.stringContaining('always decided by a person') }),
    ]);
  });

  it('modify/delete without a rule waits for a person', () => {
    const r = resolveFile({ versions: { path: 'x.py', base: BASE, upstream: null, fork: FORK }, rules });
    expect(r.deletedBy).toBe('upstream');
    expect(r.outcomes).toEqual([expect.objectContaining({ layer: null })]);
  });

  it('strategies decide what they can; the rest waits, and the file is only done when all are decided', () => {
    const base = 'PROVIDERS = [\n    "a",\n]\n\n\ndef f():\n    return 1\n';
    const up = 'PROVIDERS = [\n    "a",\n    "heroku",\n]\n\n\ndef f():\n    return 2\n';
    const fork = 'PROVIDERS = [\n    "a",\n    "oci",\n]\n\n\ndef f():\n    return 3\n';
    const r = resolveFile({ versions: { path: 'p.py', base, upstream: up, fork }, rules });
    expect(r.outcomes.map((o) => [o.layer, o.by])).toEqual([
      ['structure', 'list-union'],
      [null, null],
    ]);
    expect(r.result).toBeUndefined();

    const decided = resolveFile({
      versions: { path: 'p.py', base, upstream: up, fork },
      rules,
      decided: [
        { hunk: 1, layer: 'person', by: 'U123', rationale: 'took fork', confidence: 1, text: '    return 3\n' },
      ],
    });
    expect(decided.result?.content).toBe(
      'PROVIDERS = [\n    "a",\n    "heroku",\n    "oci",\n]\n\n\ndef f():\n    return 3\n',
    );
  });

  it.each([
    { path: '.gitignore', refined: true },
    { path: 'src/app.py', refined: false },
  ])('splits a git hunk with a finer merge only in files whose lines stand alone ($path)', ({ path, refined }) => {
    const base = 'a\n.vscode/launch.json\n';
    const up = 'a\n.vscode/launch.json\n*.whl\n';
    const fork = 'a\n.vscode/launch.json\nbuild/*\n';
    const conflicted =
      'a\n<<<<<<< upstream\n.vscode/launch.json\n*.whl\n||||||| base\n.vscode/launch.json\n=======\n.vscode/launch.json\nbuild/*\n>>>>>>> fork\n';
    const segments = parseConflictText(
      conflicted,
      { first: 'upstream', base: 'base', second: 'fork' },
      'upstream-first',
    );
    const r = resolveFile({ layers: ALL_ON, versions: { path, base, upstream: up, fork }, segments });
    expect(r.result?.content).toBe(refined ? 'a\n.vscode/launch.json\n*.whl\nbuild/*\n' : undefined);
  });

  it("replays a remembered resolution for the same conflict, with today's bytes", () => {
    const [hunk] = hunksOf(merge3(BASE, UP, FORK));
    const memory = new Map<string, RememberedHunk>([
      [hunkKey(hunk!), { shape: 'fork', text: 'fork\n', source: 'PR #7' }],
    ]);
    const r = resolveFile({
      layers: ALL_ON,
      versions: { path: 'x.py', base: BASE, upstream: UP, fork: FORK },
      rules,
      memory,
    });
    expect(r.outcomes[0]).toMatchObject({ layer: 'memory', rationale: expect.stringContaining('PR #7') });
    expect(r.result?.content).toBe(FORK);
  });

  it('memory keys ignore line endings and trailing spaces, nothing else', () => {
    const a = { base: ['x\n'], upstream: ['y  \n'], fork: ['z\n'] };
    expect(hunkKey(a)).toBe(hunkKey({ base: ['x\r\n'], upstream: ['y\n'], fork: ['z\n'] }));
    expect(hunkKey(a)).not.toBe(hunkKey({ base: ['x\n'], upstream: ['z\n'], fork: ['y\n'] }));
    expect(hunkKey({ base: [], upstream: ['ab\n'], fork: ['\n'] })).not.toBe(
      hunkKey({ base: [], upstream: ['a\n'], fork: ['b\n'] }),
    );
  });

  it('merges a data file key by key when the sides changed different keys', () => {
    const base = '{\n  "a": 1\n}\n';
    const up = '{\n  "a": 1,\n  "b": 2\n}\n';
    const fork = '{\n  "a": 1,\n  "c": 3\n}\n';
    const r = resolveFile({ layers: ALL_ON, versions: { path: 'config.json', base, upstream: up, fork }, rules });
    // Concatenating the sides breaks the JSON; the key merge finds no arrangement that parses.
    expect(r.result).toBeUndefined();
    const yaml = resolveFile({
      layers: ALL_ON,
      versions: { path: 'c.yaml', base: 'x: 1\n', upstream: 'x: 1\ny:\n  - 1\n', fork: 'x: 1\nz: true\n' },
      rules,
    });
    expect(yaml.outcomes[0]).toMatchObject({ layer: 'structure', by: 'key-merge' });
    expect(yaml.result?.content).toBe('x: 1\ny:\n  - 1\nz: true\n');
  });

  it('sends automatic answers back when a data file stops parsing', () => {
    // A list union that is fine as lines but duplicates a YAML key.
    const r = resolveFile({
      layers: ALL_ON,
      versions: { path: 'c.yaml', base: 'a: 1\n', upstream: 'a: 1\nb: 1\n', fork: 'a: 1\nb: 2\n' },
      rules,
    });
    expect(r.result).toBeUndefined();
    expect(r.outcomes[0]?.layer).toBeNull();
  });
});
