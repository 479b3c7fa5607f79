import { describe, expect, it } from 'vitest';
import { CARTO_SEQUENCE, DOCUMENTED, LIVE, replaySequence, sortVLatest } from '../../../bench/release-sequence.js';

// CARTO's real release sequence (reference §7) through the release core; bench/release-sequence.ts
// prints the same rows as tables for the closing note.

describe("CARTO's real sequence", () => {
  it('live format, bot from the first release: one bump per release, the triple never resets', () => {
    expect(replaySequence(LIVE, 'bot').map((r) => r.tag)).toEqual([
      'v1.75.2-carto.1.0.0',
      'v1.75.2-carto.1.0.1',
      'v1.75.2-carto.1.0.2',
      'v1.79.1-carto.1.0.3',
      'v1.79.1-carto.1.0.4',
      'v1.79.1-carto.1.0.5',
      'v1.79.1-carto.1.0.6',
      'v1.79.1-carto.1.0.7',
      'v1.81.6-carto.1.1.0',
      'v1.81.3-carto.1.1.1',
      'v1.81.9-carto.1.2.0',
    ]);
  });

  it('documented format: restarts at 0.1.0 whenever the upstream version changes', () => {
    expect(replaySequence(DOCUMENTED, 'bot').map((r) => r.tag)).toEqual([
      'carto-v1.75.2-0.1.0',
      'carto-v1.75.2-0.1.1',
      'carto-v1.75.2-0.1.2',
      'carto-v1.79.1-0.1.0',
      'carto-v1.79.1-0.1.1',
      'carto-v1.79.1-0.1.2',
      'carto-v1.79.1-0.1.3',
      'carto-v1.79.1-0.1.4',
      'carto-v1.81.6-0.1.0',
      'carto-v1.81.3-0.1.0',
      'carto-v1.81.9-0.1.0',
    ]);
  });

  it('from the real tags: follows v1.81.3-carto.1.18.6 where sort -V picked v1.81.6-carto.1.18.3', () => {
    const rows = replaySequence(LIVE, 'real');
    const last = rows.at(-1)!;
    expect(sortVLatest(CARTO_SEQUENCE.slice(0, -1).map((s) => s.real))).toBe('v1.81.6-carto.1.18.3');
    expect(last.previous).toBe('v1.81.3-carto.1.18.6');
    expect(last.bump).toBe('minor');
    expect(last.tag).toBe('v1.81.9-carto.1.19.0');
    // A legacy tag is the previous release of the first live-format one: the triple continues.
    expect(rows[4]).toMatchObject({ previous: 'carto-v1.79.1-1.74.336', tag: 'v1.79.1-carto.1.74.337' });
  });
});
