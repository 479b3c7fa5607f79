import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { clearRegisteredSecrets, registerSecrets } from '../../../src/redact.js';
import { testStoreKind } from '../../helpers/test-store.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, job, storeIn } from '../../jobs/fixtures/harness.js';

const SECRET = 'ghs_plantedSecretValue0123456789abcdef';

let store: Store;
const clock = new ManualClock();

async function open(): Promise<Store> {
  store = storeIn(await tempDir(), clock);
  return store;
}

afterEach(() => {
  store?.close();
  clearRegisteredSecrets();
});

/** Every byte of user data in the database, to grep for secrets. */
function dump(s: Store): string {
  const tables =
    testStoreKind() === 'postgres'
      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
  const names = s.db.prepare(tables).pluck().all() as string[];
  return names.map((name) => JSON.stringify(s.db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
}

describe('AuditLog', () => {
  it('records who did what from where, newest first, filtered by pipeline and action', async () => {
    const { audit } = await open();
    audit.record({
      actor: { kind: 'slack', id: 'U123', via: 'C999' },
      action: 'approve',
      pipeline: 'litellm',
      target: 'pr:CartoDB/litellm#12',
      outcome: 'refused',
    });
    clock.advance(1000);
    audit.record({
      actor: { kind: 'cron', id: 'litellm' },
      action: 'sync',
      pipeline: 'litellm',
      outcome: 'done',
      details: { tag: 'v1.2.3' },
    });
    audit.record({ actor: { kind: 'cli', id: 'ops' }, action: 'sync', pipeline: 'other', outcome: 'failed' });

    const entries = audit.list({ pipeline: 'litellm' });
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['sync', 'done'],
      ['approve', 'refused'],
    ]);
    expect(entries[0]).toMatchObject({
      actor: { kind: 'cron', id: 'litellm' },
      details: { tag: 'v1.2.3' },
      at: '2026-01-05T10:00:01.000Z',
      target: null,
    });
    expect(entries[1]!.actor).toEqual({ kind: 'slack', id: 'U123', via: 'C999' });
    expect(audit.list({ action: 'sync' })).toHaveLength(2);
    expect(audit.list({ limit: 1 })).toHaveLength(1);
  });
});

describe('SlackMessages', () => {
  it('keeps one message per pipeline, key and kind and updates it in place', async () => {
    const { slackMessages } = await open();
    expect(slackMessages.get('litellm', 'v1.2.3', 'sync-card')).toBeNull();
    slackMessages.upsert({
      pipeline: 'litellm',
      key: 'v1.2.3',
      kind: 'sync-card',
      channel: 'C1',
      ts: '1.1',
      threadTs: null,
      state: 'pr-open',
    });
    clock.advance(5);
    const updated = slackMessages.upsert({
      pipeline: 'litellm',
      key: 'v1.2.3',
      kind: 'sync-card',
      channel: 'C1',
      ts: '1.1',
      threadTs: '1.1',
      state: 'ready',
    });
    slackMessages.upsert({
      pipeline: 'litellm',
      key: 'v1.2.3',
      kind: 'release-card',
      channel: 'C1',
      ts: '2.2',
      threadTs: null,
      state: null,
    });

    expect(updated).toEqual({
      pipeline: 'litellm',
      key: 'v1.2.3',
      kind: 'sync-card',
      channel: 'C1',
      ts: '1.1',
      threadTs: '1.1',
      state: 'ready',
      updatedAt: '2026-01-05T10:00:01.005Z',
    });
    expect(slackMessages.get('litellm', 'v1.2.3', 'sync-card')).toEqual(updated);
    expect(slackMessages.list({ pipeline: 'litellm' })).toHaveLength(2);
    expect(slackMessages.list({ kind: 'release-card' }).map((m) => m.ts)).toEqual(['2.2']);
  });
});

describe('WebhookDeliveries', () => {
  it('says true only the first time it sees a delivery id', async () => {
    const { webhookDeliveries } = await open();
    expect(webhookDeliveries.recordOnce('abc', 'pull_request')).toBe(true);
    expect(webhookDeliveries.recordOnce('abc', 'pull_request')).toBe(false);
    expect(webhookDeliveries.recordOnce('def', 'pull_request')).toBe(true);
    clock.advance(60_000);
    expect(webhookDeliveries.prune(clock.now())).toBe(2);
    expect(webhookDeliveries.recordOnce('abc', 'pull_request')).toBe(true);
  });
});

describe('ScheduleState', () => {
  it('sets the fields given and keeps the others', async () => {
    const { scheduleState } = await open();
    expect(scheduleState.get('litellm')).toBeNull();
    scheduleState.set('litellm', { lastScheduledAt: '2026-01-05T12:00:00.000Z' });
    expect(scheduleState.set('litellm', { lastRunAt: '2026-01-05T12:00:03.000Z' })).toEqual({
      pipeline: 'litellm',
      lastRunAt: '2026-01-05T12:00:03.000Z',
      lastScheduledAt: '2026-01-05T12:00:00.000Z',
    });
    expect(scheduleState.set('litellm', { lastScheduledAt: null }).lastScheduledAt).toBeNull();
    expect(scheduleState.get('litellm')?.lastRunAt).toBe('2026-01-05T12:00:03.000Z');
  });
});

describe('secrets never reach the database', () => {
  it('scrubs job data, step results, errors and audit details', async () => {
    registerSecrets([SECRET]);
    const s = await open();
    const url = `https://x-access-token:${SECRET}@github.example/CartoDB/litellm.git`;
    const { job: queued } = s.jobs.enqueue(
      job('sync', 'sync:litellm', { url, nested: [{ token: SECRET }] }),
      { maxAttempts: 3 },
      clock.now(),
    );
    const leased = s.jobs.claim({ owner: 'me', kinds: ['sync'], leaseMs: 1000, now: clock.now() });
    expect(leased?.id).toBe(queued.id);
    expect(s.jobs.recordStep(queued.id, 'me', 'clone', { remote: url }, clock.now())).toBe(true);
    s.jobs.finish(
      queued.id,
      'me',
      'failed',
      { code: 'git_failed', message: `fatal: could not read ${url}` },
      clock.now(),
    );
    s.audit.record({
      actor: { kind: 'cli', id: 'ops' },
      action: 'sync',
      outcome: 'failed',
      details: { error: `token ${SECRET}` },
    });

    const everything = dump(s);
    expect(everything).toContain('github.example/CartoDB/litellm.git');
    expect(everything).not.toContain(SECRET);
    expect(s.jobs.get(queued.id)?.data).toEqual({
      url: 'https://[REDACTED]@github.example/CartoDB/litellm.git',
      nested: [{ token: '[REDACTED]' }],
    });
  });
});
