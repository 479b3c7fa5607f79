import { describe, expect, it } from 'vitest';
import { trimLog, fileMentions } from '../../../src/core/ci-fix/trim-log.js';
import { checkPatch, type PatchRules } from '../../../src/core/ci-fix/patch-check.js';
import { decideAttempt, type AttemptSummary } from '../../../src/core/ci-fix/fix-bounds.js';
import { failureScope } from '../../../src/core/ci-fix/failure-scope.js';

const rules = (over: Partial<PatchRules> = {}): PatchRules => ({
  allowPaths: ['**'],
  denyPaths: ['.github/workflows/**'],
  maxPatchLines: 10,
  changedFiles: ['src/app.py', '.github/workflows/ci.yml', 'docs/x.md'],
  forkLines: new Map(),
  ...over,
});
const diff = (path: string, removed: string[], added: string[]) =>
  [`--- a/${path}`, `+++ b/${path}`, `@@ -1,${removed.length} +1,${added.length} @@`]
    .concat(
      removed.map((l) => `-${l}`),
      added.map((l) => `+${l}`),
    )
    .join('\n') + '\n';

describe('trimLog', () => {
  it('keeps error lines with context and the tail under the byte bound', () => {
    const noise = Array.from({ length: 5000 }, (_, i) => `2026-01-01T00:00:00.0000000Z step ${i} ok`);
    noise[2000] = '2026-01-01T00:00:00.0000000Z src/app.py:3: error: Name "x" is not defined';
    const out = trimLog(noise.join('\n'), 2000);
    expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(2000);
    expect(out.text).toContain('src/app.py:3: error: Name "x" is not defined');
    expect(out.text).toContain('step 1999 ok');
    expect(out.text).toContain('step 4999 ok');
    expect(out.text).not.toContain('2026-01-01T');
    expect(out.truncated).toBe(true);
  });
  it('never exceeds the bound, even with only error lines', () => {
    const log = Array.from({ length: 3000 }, (_, i) => `error ${i} ${'é'.repeat(30)}`).join('\n');
    for (const max of [1000, 4096, 16_000]) expect(Buffer.byteLength(trimLog(log, max).text)).toBeLessThanOrEqual(max);
  });
  it('names files mentioned in error lines', () => {
    expect(fileMentions('src/app.py:3: error: bad\nok tests/x.py passed')).toEqual(['src/app.py']);
  });
});

describe('checkPatch', () => {
  it.each([
    ['a workflow file', diff('.github/workflows/ci.yml', ['a'], ['b']), 'path-denied'],
    ['a file the sync did not change', diff('src/other.py', ['a'], ['b']), 'not-changed-by-sync'],
    ['too many lines', diff('src/app.py', Array(6).fill('x = 1'), Array(6).fill('y = 1')), 'too-large'],
    ['not a diff', 'please run rm -rf /', 'malformed'],
    ['a path escaping the repository', diff('../etc/passwd', ['a'], ['b']), 'path-denied'],
  ])('refuses %s', (_name, patch, reason) => {
    const verdict = checkPatch(patch, rules());
    expect(verdict.ok ? null : verdict.refused.reason).toBe(reason);
  });
  it('refuses a path outside allowPaths', () => {
    const verdict = checkPatch(diff('docs/x.md', ['a'], ['b']), rules({ allowPaths: ['src/**'] }));
    expect(verdict.ok ? null : verdict.refused.reason).toBe('path-not-allowed');
  });
  it('refuses deleting a fork line the sync kept, accepts moving it', () => {
    const forkLines = new Map([['src/app.py', new Set(['CARTO_FEATURE = True'])]]);
    const drop = checkPatch(diff('src/app.py', ['CARTO_FEATURE = True'], ['x = 1']), rules({ forkLines }));
    expect(drop.ok ? null : drop.refused.reason).toBe('deletes-fork-customisation');
    const keep = checkPatch(
      diff('src/app.py', ['CARTO_FEATURE = True'], ['  CARTO_FEATURE = True']),
      rules({ forkLines }),
    );
    expect(keep.ok).toBe(true);
  });
  it('accepts a small patch of a changed file and counts its lines', () => {
    const verdict = checkPatch(diff('src/app.py', ['x = y'], ['x = 1']), rules());
    expect(verdict).toMatchObject({ ok: true, paths: ['src/app.py'], lines: 2 });
  });
});

describe('decideAttempt', () => {
  const a = (headSha: string, outcome: AttemptSummary['outcome'], paths: string[] = ['f']): AttemptSummary => ({
    headSha,
    outcome,
    paths,
  });
  it('allows one attempt per head commit', () => {
    expect(decideAttempt({ attempts: [], headSha: 's1', maxAttemptsPerPr: 3, grants: 0, granted: false })).toEqual({
      ok: true,
      n: 1,
      of: 3,
      granted: false,
    });
    const again = decideAttempt({
      attempts: [a('s1', 'pushed')],
      headSha: 's1',
      maxAttemptsPerPr: 3,
      grants: 0,
      granted: false,
    });
    expect(again).toMatchObject({ ok: false, reason: 'same-sha' });
  });
  it('stops after maxAttemptsPerPr, and a grant allows exactly one more', () => {
    const attempts = [a('s1', 'pushed', ['x']), a('s2', 'refused', []), a('s3', 'pushed', ['y'])];
    expect(decideAttempt({ attempts, headSha: 's4', maxAttemptsPerPr: 3, grants: 0, granted: false })).toMatchObject({
      ok: false,
      reason: 'exhausted',
    });
    expect(decideAttempt({ attempts, headSha: 's3', maxAttemptsPerPr: 3, grants: 1, granted: true })).toEqual({
      ok: true,
      n: 4,
      of: 4,
      granted: true,
    });
    const after = [...attempts, a('s3', 'refused', [])];
    expect(
      decideAttempt({ attempts: after, headSha: 's5', maxAttemptsPerPr: 3, grants: 1, granted: false }),
    ).toMatchObject({
      ok: false,
      reason: 'exhausted',
    });
  });
  it('stops when the same file was patched three times', () => {
    const attempts = [a('s1', 'pushed'), a('s2', 'pushed'), a('s3', 'pushed')];
    expect(decideAttempt({ attempts, headSha: 's4', maxAttemptsPerPr: 5, grants: 0, granted: false })).toMatchObject({
      ok: false,
      reason: 'same-file',
    });
  });
  it('does not count pre-existing notes or LLM outages as attempts', () => {
    const attempts = [a('s1', 'pre-existing', []), a('s2', 'llm-unavailable', [])];
    expect(decideAttempt({ attempts, headSha: 's3', maxAttemptsPerPr: 1, grants: 0, granted: false })).toMatchObject({
      ok: true,
      n: 1,
    });
  });
});

describe('failureScope', () => {
  it('calls a check that also fails on production pre-existing', () => {
    const scope = failureScope({
      failing: [{ name: 'lint', text: 'src/app.py:1: error' }],
      changedFiles: ['src/app.py'],
      failingOnProduction: ['lint'],
    });
    expect(scope).toMatchObject({ kind: 'pre-existing', reason: 'fails-on-production' });
  });
  it('calls failures naming only unchanged files pre-existing', () => {
    const scope = failureScope({
      failing: [{ name: 'test', text: 'tests/test_other.py:9: AssertionError' }],
      changedFiles: ['src/app.py'],
      failingOnProduction: [],
    });
    expect(scope).toMatchObject({ kind: 'pre-existing', reason: 'files-not-changed' });
  });
  it('keeps failures in changed files (or naming no file) for the fixer', () => {
    expect(
      failureScope({
        failing: [{ name: 'lint', text: 'app.py:1: error: x' }],
        changedFiles: ['src/app.py'],
        failingOnProduction: [],
      }).kind,
    ).toBe('sync');
    expect(
      failureScope({ failing: [{ name: 'build', text: 'Killed' }], changedFiles: ['a'], failingOnProduction: [] }).kind,
    ).toBe('sync');
  });
});
