import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { SqliteResolverStore } from '../../../src/adapters/store/resolver-store.js';
import { clearRegisteredSecrets, registerSecrets } from '../../../src/redact.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, storeIn } from '../../jobs/fixtures/harness.js';

const REPO = 'CartoDB/litellm';
let store: Store;
const clock = new ManualClock();

let dir = '';

async function open(): Promise<SqliteResolverStore> {
  dir = await tempDir();
  store = storeIn(dir, clock);
  return new SqliteResolverStore(store.db, clock);
}

afterEach(() => {
  store?.close();
  clearRegisteredSecrets();
});

describe('SqliteResolverStore', () => {
  it('remembers resolutions per repository, latest wins, and survives a reopen', async () => {
    const r = await open();
    expect(r.remember(REPO, [{ key: 'k1', shape: 'fork', text: 'x\n', source: 'PR #1' }])).toBe(1);
    clock.advance(1000);
    r.remember(REPO, [{ key: 'k1', shape: 'upstream', text: 'y\n', source: 'PR #2' }]);
    r.remember('Other/repo', [{ key: 'k2', shape: 'text', text: 'z\n', source: 'PR #9' }]);
    store.close();
    store = storeIn(dir, clock);
    const again = new SqliteResolverStore(store.db, clock);
    const got = again.recall(REPO, ['k1', 'k2', 'missing']);
    expect([...got.keys()]).toEqual(['k1']);
    expect(got.get('k1')).toMatchObject({ shape: 'upstream', text: 'y\n', source: 'PR #2' });
  });

  it('never keeps a secret, and drops a free-text resolution rather than replay a redacted one', async () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    registerSecrets([secret]);
    const r = await open();
    expect(
      r.remember(REPO, [
        { key: 'a', shape: 'text', text: `TOKEN = "${secret}"\n`, source: 'PR #1' },
        { key: 'b', shape: 'fork', text: `t = "${secret}"\n`, source: 'PR #1' },
      ]),
    ).toBe(1);
    expect(r.recall(REPO, ['a', 'b']).get('b')?.text).toBe('t = "[REDACTED]"\n');
    r.saveDecisions(REPO, 1, 'h', [
      {
        path: 'a.py',
        hunk: 0,
        hunkKey: 'k',
        layer: 'llm',
        by: 'm',
        rationale: `saw ${secret}`,
        confidence: 0.9,
        text: secret,
      },
    ]);
    const dump =
      JSON.stringify(store.db.prepare('SELECT * FROM resolve_decisions').all()) +
      JSON.stringify(store.db.prepare('SELECT * FROM resolution_memory').all());
    expect(dump).not.toContain(secret);
  });

  it('counts attempts per PR head', async () => {
    const r = await open();
    expect(r.attempts(REPO, 7, 'h1')).toBe(0);
    expect([r.countAttempt(REPO, 7, 'h1'), r.countAttempt(REPO, 7, 'h1'), r.countAttempt(REPO, 7, 'h2')]).toEqual([
      1, 2, 1,
    ]);
    expect(r.attempts(REPO, 7, 'h1')).toBe(2);
  });

  it("replaces a head's decision log as a whole and keeps each person's latest choice per hunk", async () => {
    const r = await open();
    const row = {
      path: 'a.py',
      hunk: 0,
      hunkKey: 'k',
      layer: null,
      by: null,
      rationale: 'waits',
      confidence: 0,
      text: null,
    };
    r.saveDecisions(REPO, 7, 'h1', [row, { ...row, hunk: 1 }]);
    r.saveDecisions(REPO, 7, 'h1', [{ ...row, layer: 'person', by: 'U1', confidence: 1, text: 'x\n' }]);
    expect(r.decisions(REPO, 7, 'h1')).toEqual([{ ...row, layer: 'person', by: 'U1', confidence: 1, text: 'x\n' }]);
    expect(r.decisions(REPO, 7, 'h2')).toEqual([]);

    r.recordChoice(REPO, 7, { hunkId: 'id1', take: 'upstream', by: { kind: 'slack', id: 'U1' } });
    clock.advance(1000);
    r.recordChoice(REPO, 7, { hunkId: 'id1', take: 'fork', by: { kind: 'slack', id: 'U2' } });
    expect(r.choices(REPO, 7)).toEqual([{ hunkId: 'id1', take: 'fork', by: { kind: 'slack', id: 'U2' } }]);
    expect(r.choices(REPO, 8)).toEqual([]);
  });

  it('keeps the latest run of a PR for learning', async () => {
    const r = await open();
    const run = {
      pipeline: 'litellm',
      repo: REPO,
      pr: 7,
      headSha: 'h',
      productionSha: 'p',
      mergeBase: 'b',
      paths: ['a.py'],
      resolvedSha: null,
      at: '2026-01-01T00:00:00.000Z',
    };
    r.recordRun(run);
    r.recordRun({ ...run, resolvedSha: 'c' });
    expect(r.lastRun(REPO, 7)).toEqual({ ...run, resolvedSha: 'c' });
    expect(r.lastRun(REPO, 8)).toBeNull();
  });
});
