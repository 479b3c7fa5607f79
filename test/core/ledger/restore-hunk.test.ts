import { describe, expect, it } from 'vitest';
import { classifyFile } from '../../../src/core/ledger/classify.js';
import { restoreHunk } from '../../../src/core/ledger/restore-hunk.js';
import type { LedgerFileInput } from '../../../src/core/ledger/types.js';

// "Restore fork side": the dropped hunk is applied again to the sync result, and the result then
// classifies the hunk as kept; what upstream changed elsewhere in the file stays.

function restoreAll(file: LedgerFileInput) {
  const dropped = classifyFile(file).filter((e) => e.fate === 'dropped');
  expect(dropped.length).toBeGreaterThan(0);
  return dropped.map((h) => {
    const out = restoreHunk(h, {
      result: file.result,
      resultAtBasePath: h.basePath ? file.result : null,
      fork: file.fork,
    });
    return { h, out };
  });
}

describe('restoreHunk', () => {
  it.each([
    {
      name: 'a replaced line taken back to upstream',
      base: 'a\nb\nc\nd\n',
      fork: 'a\nb = FORK\nc\nd\n',
      upstream: 'a\nb\nc\nd\nupstream tail\n',
      result: 'a\nb\nc\nd\nupstream tail\n',
      expected: 'a\nb = FORK\nc\nd\nupstream tail\n',
    },
    {
      name: 'an inserted block lost by a resolution',
      base: 'import os\n\ndef f():\n    return 1\n',
      fork: 'import os\nimport carto\n\ndef f():\n    return 1\n',
      upstream: 'import os\n\ndef f():\n    return 2\n',
      result: 'import os\n\ndef f():\n    return 2\n',
      expected: 'import os\nimport carto\n\ndef f():\n    return 2\n',
    },
    {
      name: 'lines the fork deleted that came back',
      base: 'one\ntelemetry()\ntwo\nthree\n',
      fork: 'one\ntwo\nthree\n',
      upstream: 'one\ntelemetry()\ntwo\nthree\nfour\n',
      result: 'one\ntelemetry()\ntwo\nthree\nfour\n',
      expected: 'one\ntwo\nthree\nfour\n',
    },
  ])('$name', ({ base, fork, upstream, result, expected }) => {
    const file = { path: 'x.py', base, fork, upstream, result };
    const { h, out } = restoreAll(file)[0]!;
    expect(out).toEqual({ ok: true, path: 'x.py', content: expected, alsoDelete: null });
    const again = classifyFile({ ...file, result: out.ok ? out.content : null }).find((e) => e.id === h.id);
    expect(again?.fate).toBe('kept');
  });

  it('a file the fork deleted that came back is deleted again; a fork file lost is brought back', () => {
    const [deleted] = restoreAll({ path: 'old.py', base: 'x\n', fork: null, upstream: 'x\ny\n', result: 'x\ny\n' });
    expect(deleted?.out).toEqual({ ok: true, path: 'old.py', content: null, alsoDelete: null });
    const [added] = restoreAll({ path: 'oci.py', base: null, fork: 'oci = 1\n', upstream: null, result: null });
    expect(added?.out).toEqual({ ok: true, path: 'oci.py', content: 'oci = 1\n', alsoDelete: null });
  });

  it('says so when the hunk has nowhere to go (upstream rewrote its context)', () => {
    const [r] = restoreAll({
      path: 'x.py',
      base: 'a\nb\nc\n',
      fork: 'a\nb = FORK\nc\n',
      upstream: 'totally\nnew\n',
      result: 'totally\nnew\n',
    });
    expect(r?.out).toMatchObject({ ok: false, reason: expect.stringContaining('restore it by hand') });
  });
});
