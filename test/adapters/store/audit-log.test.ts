import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, storeIn } from '../../jobs/fixtures/harness.js';

// The audit log is read back by `upstream-sync audit` and Slack `history`: filters by pipeline,
// actor and age; rows cannot be edited; the retention prune reports exactly what it deleted.

let store: Store | undefined;
afterEach(() => store?.close());

const HOUR = 3_600_000;

describe('SqliteAuditLog', () => {
  it('filters by pipeline, actor and since, newest first', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00.000Z');
    store = storeIn(await tempDir(), clock);
    const audit = store.audit;
    audit.record({
      actor: { kind: 'cli', id: 'ana', via: 'laptop' },
      action: 'sync',
      pipeline: 'a',
      outcome: 'allowed',
    });
    clock.advance(2 * HOUR);
    audit.record({
      actor: { kind: 'slack', id: 'U0BOB' },
      action: 'approve',
      pipeline: 'a',
      target: 'pr:o/r#1',
      outcome: 'refused',
      details: { reason: 'not_on_list' },
    });
    audit.record({ actor: { kind: 'slack', id: 'U0BOB' }, action: 'sync', pipeline: 'b', outcome: 'allowed' });

    expect(audit.list({ pipeline: 'a' }).map((e) => e.action)).toEqual(['approve', 'sync']);
    expect(audit.list({ actor: 'U0BOB' }).map((e) => e.pipeline)).toEqual(['b', 'a']);
    expect(audit.list({ since: '2026-01-05T11:00:00.000Z' }).map((e) => e.actor.id)).toEqual(['U0BOB', 'U0BOB']);
    expect(audit.list({ pipeline: 'a', actor: 'ana', since: '2026-01-05T10:00:00.000Z' })).toEqual([
      expect.objectContaining({ actor: { kind: 'cli', id: 'ana', via: 'laptop' }, outcome: 'allowed' }),
    ]);
  });

  it('refuses to edit a row: the log is append-only', async () => {
    store = storeIn(await tempDir(), new ManualClock());
    const e = store.audit.record({ actor: { kind: 'cli', id: 'ana' }, action: 'sync', outcome: 'allowed' });
    expect(() => store!.db.prepare("UPDATE audit SET outcome = 'done' WHERE id = ?").run(e.id)).toThrow(/append-only/);
    expect(store.audit.list()[0]?.outcome).toBe('allowed');
  });

  it('prune removes only rows older than the cut-off and says what it removed', async () => {
    const clock = new ManualClock('2026-01-05T10:00:00.000Z');
    store = storeIn(await tempDir(), clock);
    const audit = store.audit;
    audit.record({ actor: { kind: 'cli', id: 'ana' }, action: 'sync', outcome: 'allowed' });
    clock.advance(HOUR);
    audit.record({ actor: { kind: 'slack', id: 'U1' }, action: 'approve', outcome: 'done' });
    clock.advance(HOUR);
    audit.record({ actor: { kind: 'slack', id: 'U1' }, action: 'sync', outcome: 'refused' });
    clock.advance(HOUR);
    const kept = audit.record({ actor: { kind: 'slack', id: 'U1' }, action: 'sync', outcome: 'allowed' });

    expect(audit.prune(new Date('2026-01-05T12:30:00.000Z'))).toEqual({
      removed: 3,
      before: '2026-01-05T12:30:00.000Z',
      oldest: '2026-01-05T10:00:00.000Z',
      newest: '2026-01-05T12:00:00.000Z',
      byAction: { sync: 2, approve: 1 },
    });
    expect(audit.list().map((e) => e.id)).toEqual([kept.id]);
    expect(audit.prune(new Date('2026-01-05T12:30:00.000Z'))).toEqual({
      removed: 0,
      before: '2026-01-05T12:30:00.000Z',
      oldest: null,
      newest: null,
      byAction: {},
    });
  });
});
