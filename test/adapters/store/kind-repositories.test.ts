import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { SqliteDispatchRecords } from '../../../src/adapters/store/dispatch-store.js';
import { SqliteLedgerRecords } from '../../../src/adapters/store/ledger-store.js';
import { outboxDepth } from '../../../src/adapters/store/outbox-depth.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { silentLogger } from '../../../src/log.js';
import { MirrorRuns } from '../../../src/pipelines/mirror/mirror-runs.js';
import { SlackIntake } from '../../../src/slack/app/slack-intake.js';
import { privateStore } from '../../helpers/test-store.js';

// The repositories kinds and the Slack app add on top of the store (dispatch, mirror, ledger
// acceptances, the Slack request intake): part of the store contract, run on both stores.

let now = Date.parse('2026-04-01T10:00:00Z');
const clock = { now: () => new Date((now += 1000)) };
const cli = { kind: 'cli' as const, id: 'ana' };
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function open(): Store {
  const store = privateStore({ clock });
  stores.push(store);
  return store;
}

describe('kind repositories', () => {
  it('dispatch: the last commit, deliveries once per commit, failures pending until delivered', () => {
    const records = new SqliteDispatchRecords(open().db, clock);
    expect(records.lastProcessed('mono')).toBeNull();
    records.setLastProcessed('mono', 'a1');
    records.setLastProcessed('mono', 'b2');
    expect(records.lastProcessed('mono')?.sha).toBe('b2');
    const failed = {
      subscriber: 'org/app',
      feature: 'ui',
      mode: 'pull-request' as const,
      result: 'failed' as const,
      pr: null,
      error: 'boom',
      changedPaths: ['ui/a.ts'],
    };
    records.record('mono', { from: 'a1', to: 'b2' }, failed);
    expect(records.pending('mono')).toEqual([expect.objectContaining({ subscriber: 'org/app', error: 'boom' })]);
    const done = { ...failed, result: 'pr-created' as const, error: null, pr: { number: 4, url: 'u' } };
    records.record('mono', { from: 'a1', to: 'b2' }, done);
    expect(records.pending('mono')).toEqual([]);
    expect(records.delivery('mono', 'b2', 'org/app', 'ui')).toMatchObject({ result: 'pr-created', pr: { number: 4 } });
  });

  it('mirror: a resumed job keeps its first run; newest first', () => {
    const runs = new MirrorRuns(open().db, clock);
    const run = {
      pipeline: 'occ',
      jobId: 7,
      outcome: 'fast-forwarded' as const,
      state: 'fast-forward' as const,
      sourceSha: 's',
      targetSha: 't',
      targetShaAfter: 's',
      ahead: 0,
      behind: 3,
      report: null,
      tags: { pushed: ['v1'], conflicting: [] },
      requestedBy: cli,
      durationMs: 12,
    };
    runs.record(run);
    runs.record({ ...run, behind: 99 });
    runs.record({ ...run, jobId: 8, outcome: 'up-to-date', state: 'up-to-date', behind: 0 });
    expect(runs.recent('occ').map((r) => [r.outcome, r.behind])).toEqual([
      ['up-to-date', 0],
      ['fast-forwarded', 3],
    ]);
    expect(runs.last('occ')?.outcome).toBe('up-to-date');
  });

  it('ledger acceptances: one per hunk, the first acceptance stands', () => {
    const ledgers = new SqliteLedgerRecords(open().db, clock);
    ledgers.accept('carto', 'v2', 'h1', { kind: 'slack', id: 'U1' });
    ledgers.accept('carto', 'v2', 'h1', { kind: 'slack', id: 'U2' });
    ledgers.accept('carto', 'v2', 'h2', cli);
    const accepted = ledgers.acceptances('carto', 'v2');
    expect(accepted).toHaveLength(2);
    expect(accepted.find((a) => a.hunkId === 'h1')?.acceptedBy).toMatchObject({ id: 'U1' });
  });

  it('slack intake: a request recorded before the ack stays unfinished until done', () => {
    const intake = new SlackIntake(open().db, clock, silentLogger());
    const first = intake.record('command', { text: 'sync' });
    intake.record('action', { action: 'approve' });
    first.done();
    expect(intake.unfinished().map((r) => [r.kind, r.request])).toEqual([['action', { action: 'approve' }]]);
    intake.close();
  });

  it('outbox depth for /metrics and /readyz: waiting, dropped, and the oldest waiting', () => {
    const store = open();
    expect(outboxDepth(store.db)).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    const outbox = new OutboxStore(store.db);
    const at = new Date('2026-04-01T09:00:00Z');
    outbox.enqueue({ op: 'post', pipeline: 'p', tag: null, payload: { text: 'a' }, idemKey: 'a' }, at);
    outbox.enqueue(
      { op: 'post', pipeline: 'p', tag: null, payload: { text: 'b' }, idemKey: 'b' },
      new Date(at.getTime() + 1000),
    );
    const [first] = outbox.pending();
    outbox.markDead(first!.id, 'gone', at);
    expect(outboxDepth(store.db)).toEqual({ pending: 1, dead: 1, oldestPendingAt: '2026-04-01T09:00:01.000Z' });
  });
});
