import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { MirrorConfig } from '../../src/config/schema.js';
import { mirrorCard } from '../../src/slack/views/mirror-card.js';
import { expectValidMessage } from './block-checks.js';

const p = parseConfig({
  pipelines: [
    {
      id: 'occ',
      kind: 'mirror',
      source: { repo: 'o9nn/occ', branch: 'main' },
      target: { repo: 'cogpy/occ', branch: 'main' },
      slack: { channel: 'C0123456789' },
    },
  ],
}).pipelines[0] as MirrorConfig;

const commit = (n: number, side: string) => ({
  sha: `${side === 'source' ? 'a' : 'b'}${String(n).padStart(39, '0')}`,
  subject: `${side} change ${n} *not bold* <!channel>`,
  author: 'Dev <dev@x.test>',
});

const run = (over: Record<string, unknown> = {}) => ({
  outcome: 'diverged' as const,
  state: 'diverged' as const,
  sourceSha: 'a'.repeat(40),
  targetSha: 'b'.repeat(40),
  targetShaAfter: 'b'.repeat(40),
  ahead: 60,
  behind: 2,
  report: {
    sourceOnly: Array.from({ length: 50 }, (_, i) => commit(i, 'source')),
    targetOnly: [commit(1, 'target'), commit(2, 'target')],
    files: ['a.c', 'b.c'],
    conflicts: ['a.c'],
  },
  tags: { pushed: [], conflicting: ['v1.0.0'] },
  backupRef: null,
  ...over,
});

function buttonsOf(
  blocks: unknown[],
): Array<{ text: { text: string }; value?: string; url?: string; confirm?: unknown }> {
  return blocks.flatMap((b) =>
    (b as { type: string }).type === 'actions' ? (b as { elements: never[] }).elements : [],
  );
}

describe('mirror card', () => {
  it('a divergence: target-only commits before source-only ones, capped, escaped; Force sync (confirm) and View compare', () => {
    const card = mirrorCard({
      pipeline: p,
      run: run(),
      targetHtmlUrl: 'https://github.com/cogpy/occ',
      at: '2026-12-04T21:00:00Z',
    });
    expectValidMessage(card);
    const text = JSON.stringify(card.blocks);
    expect(text.indexOf('target change 1')).toBeLessThan(text.indexOf('source change 0'));
    expect(text).toContain('…and 50 more');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('v1.0.0');
    const bs = buttonsOf(card.blocks);
    expect(bs.map((b) => b.text.text)).toEqual(['Force sync', 'Merge into target', 'View compare']);
    // The buttons name the pipeline only: the lease is read from SQLite when the force runs.
    expect(JSON.parse(bs[0]!.value!)).toEqual({ p: 'occ' });
    expect(bs[0]!.confirm).toBeDefined();
    // Merge into target keeps the target's commits: a confirm that says so, then a PR.
    expect(JSON.parse(bs[1]!.value!)).toEqual({ p: 'occ' });
    expect(JSON.stringify(bs[1]!.confirm)).toContain('own commits');
    expect(bs[2]!.url).toBe(`https://github.com/cogpy/occ/compare/${'b'.repeat(40)}...o9nn:occ:${'a'.repeat(40)}`);
  });

  it('a fast-forward has no Force sync; a force names its backup and offers Roll back', () => {
    const ff = mirrorCard({
      pipeline: p,
      run: run({ outcome: 'fast-forwarded', state: 'up-to-date', behind: 0, report: null }),
      targetHtmlUrl: 'https://github.com/cogpy/occ',
      at: 'now',
    });
    expect(buttonsOf(ff.blocks).map((b) => b.text.text)).toEqual(['View compare']);
    const forced = mirrorCard({
      pipeline: p,
      run: run({
        outcome: 'forced',
        state: 'up-to-date',
        backupRef: 'refs/upstream-sync/backup/main/20261204T210000.000Z',
      }),
      targetHtmlUrl: 'https://github.com/cogpy/occ',
      at: 'now',
    });
    expectValidMessage(forced);
    expect(JSON.stringify(forced.blocks)).toContain('refs/upstream-sync/backup/main/20261204T210000.000Z');
    expect(buttonsOf(forced.blocks).map((b) => b.text.text)).toEqual(['Roll back', 'View compare']);
  });

  it('a merge into target refused (nothing to merge) says so, not "force refused", and offers neither way out', () => {
    const card = mirrorCard({
      pipeline: p,
      run: {
        ...run({ outcome: 'refused', state: 'target-ahead', ahead: 0 }),
        refused: { reason: 'nothing-to-merge', message: 'nothing to merge: the target main is ahead of the source' },
      },
      targetHtmlUrl: 'https://github.com/cogpy/occ',
      at: 'now',
    });
    expectValidMessage(card);
    expect(card.text).toContain('merge refused');
    expect(card.text).not.toContain('force refused');
    expect(buttonsOf(card.blocks).map((b) => b.text.text)).toEqual(['View compare']);
  });
});
