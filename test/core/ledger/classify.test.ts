import { describe, expect, it } from 'vitest';
import { buildLedger, classifyFile } from '../../../src/core/ledger/classify.js';
import { forkHunks } from '../../../src/core/ledger/fork-hunks.js';
import { ledgerFixture } from '../../../src/core/ledger/fixture.js';
import type { HunkFate, LedgerFileInput } from '../../../src/core/ledger/types.js';

const t = (...ls: string[]): string => `${ls.join('\n')}\n`;
const BASE = t('import a from "a";', 'const x = 1;', 'function f() {', '  return x;', '}', 'export default f;');
const FORK = t('import a from "a";', 'const x = 2; // fork', 'function f() {', '  return x;', '}', 'export default f;');
const UP = t('import a from "a";', 'const x = 1;', 'function f() {', '  return x + 1;', '}', 'export default f;');

const file = (over: Partial<LedgerFileInput>): LedgerFileInput => ({
  path: 'src/f.ts',
  base: BASE,
  fork: FORK,
  upstream: UP,
  result: UP,
  ...over,
});

describe('classifyFile', () => {
  const cases: { name: string; input: LedgerFileInput; fate: HunkFate; detail?: RegExp }[] = [
    {
      name: 'kept: the fork line survives next to the upstream change',
      input: file({
        result: t(
          'import a from "a";',
          'const x = 2; // fork',
          'function f() {',
          '  return x + 1;',
          '}',
          'export default f;',
        ),
      }),
      fate: 'kept',
    },
    {
      name: 'adapted: the fork line kept with text added to it (an LLM answer that explains itself)',
      input: file({
        result: t(
          'import a from "a";',
          'const x = 2; // fork (upstream kept 1)',
          'function f() {',
          '  return x + 1;',
          '}',
          'export default f;',
        ),
      }),
      fate: 'adapted',
      detail: /with text added/,
    },
    {
      name: 'absorbed: upstream made the same change',
      input: file({ upstream: FORK, result: FORK }),
      fate: 'absorbed',
    },
    {
      name: 'adapted: re-indented by a resolution',
      input: file({
        result: t(
          'import a from "a";',
          '  const x = 2;   // fork',
          'function f() {',
          '  return x + 1;',
          '}',
          'export default f;',
        ),
      }),
      fate: 'adapted',
      detail: /whitespace/,
    },
    {
      name: 'adapted: fork line present but the replaced line came back',
      input: file({
        result: t(
          'import a from "a";',
          'const x = 1;',
          'const x = 2; // fork',
          'function f() {',
          '  return x;',
          '}',
          'export default f;',
        ),
      }),
      fate: 'adapted',
      detail: /replaced are back/,
    },
    { name: 'dropped: the result took upstream', input: file({}), fate: 'dropped', detail: /missing/ },
    {
      name: 'dropped: the file is gone',
      input: file({ result: null }),
      fate: 'dropped',
      detail: /missing from the sync result/,
    },
    {
      name: 'deleted file that returns is dropped',
      input: file({ fork: null, upstream: UP, result: UP }),
      fate: 'dropped',
      detail: /deleted is back/,
    },
    { name: 'deleted file that stays deleted is kept', input: file({ fork: null, result: null }), fate: 'kept' },
    {
      name: 'deletion upstream also made is absorbed',
      input: file({ fork: null, upstream: null, result: null }),
      fate: 'absorbed',
    },
    { name: 'added file kept', input: file({ base: null, upstream: null, result: FORK }), fate: 'kept' },
    { name: 'added file dropped', input: file({ base: null, upstream: null, result: null }), fate: 'dropped' },
    {
      name: 'pure deletion of lines kept',
      input: file({
        fork: t('import a from "a";', 'function f() {', '  return x;', '}', 'export default f;'),
        result: t('import a from "a";', 'function f() {', '  return x + 1;', '}', 'export default f;'),
      }),
      fate: 'kept',
    },
    {
      name: 'pure deletion of lines undone is dropped',
      input: file({ fork: t('import a from "a";', 'function f() {', '  return x;', '}', 'export default f;') }),
      fate: 'dropped',
      detail: /deleted are back/,
    },
    {
      name: 'rename followed: content at the new path kept',
      input: file({ path: 'src/g.ts', basePath: 'src/f.ts', result: FORK }),
      fate: 'kept',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const entries = classifyFile(c.input);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.fate).toBe(c.fate);
      if (c.detail) expect(entries[0]?.detail).toMatch(c.detail);
    });
  }

  it('a pure rename is a hunk of its own; dropped when the file went back', () => {
    const input = file({ path: 'src/g.ts', basePath: 'src/f.ts', fork: BASE, upstream: null, result: null });
    expect(forkHunks(input).map((h) => h.kind)).toEqual(['renamed-file']);
    expect(classifyFile(input)[0]?.fate).toBe('dropped');
    expect(classifyFile({ ...input, result: UP })[0]?.fate).toBe('kept');
  });

  it('hunk ids are stable and name the path', () => {
    const a = forkHunks(file({}))[0];
    const b = forkHunks(file({ upstream: FORK }))[0];
    expect(a?.id).toBe(b?.id);
    expect(a?.id).toMatch(/^src\/f\.ts#1@[0-9a-f]{8}$/);
  });

  it('no fork change, no hunk', () => {
    expect(classifyFile(file({ fork: BASE }))).toEqual([]);
  });
});

describe('buildLedger on a generated fork', () => {
  it('classifies 25 of each fate', () => {
    const files = ledgerFixture(25);
    const ledger = buildLedger(files);
    expect(ledger.counts).toEqual({ kept: 25, absorbed: 25, adapted: 25, dropped: 25 });
    for (const f of files) {
      expect(ledger.entries.find((e) => e.path === f.path)?.fate, f.path).toBe(f.expected);
    }
  });
});
