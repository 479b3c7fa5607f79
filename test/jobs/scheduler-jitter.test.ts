import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openStore, type Store } from '../../src/adapters/store/open-store.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { SyncScheduler, scheduleWindowMs } from '../../src/jobs/scheduler.js';
import { ScheduleRounds } from '../../src/jobs/schedule-rounds.js';
import { jitterDelayMs } from '../../src/core/schedule/jitter.js';
import { tempDir } from '../helpers/tmp.js';

// A tick's check waits its pipeline's seeded offset (a timer the test holds), so pipelines on one
// schedule are spread over its window; the check is queued, and counted into the round, only
// when the offset has passed.

const PIPELINE = {
  upstream: { repo: 'BerriAI/litellm', tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
  fork: { repo: 'CartoDB/litellm', productionBranch: 'carto/main' },
  version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
};
const config = parseConfig({
  pipelines: ['alpha', 'beta', 'gamma'].map((id) => ({ id, ...PIPELINE, schedule: '0 * * * *' })),
});

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('scheduled checks spread over their window', () => {
  it('each pipeline waits its own fixed share of the hour before its check is queued', async () => {
    const clock = { now: () => new Date('2026-12-04T12:00:00Z') };
    store = openStore(await tempDir('jitter-'), { clock });
    const queue = new JobRunner({ store: store.jobs, log: silentLogger(), clock });
    const timers: Array<{ ms: number; fn: () => void }> = [];
    const rounds = new ScheduleRounds({
      pipelines: config.pipelines.map((p) => p.id),
      windowSeconds: 3600,
      clock,
      budget: null,
      log: pino({ level: 'silent' }),
    });
    const scheduler = new SyncScheduler({
      config,
      queue,
      scheduleState: store.scheduleState,
      clock,
      log: silentLogger(),
      rounds,
      timer: (ms, fn) => {
        timers.push({ ms, fn });
        return { cancel: () => undefined };
      },
    });
    expect(scheduleWindowMs('0 * * * *', 'UTC')).toBe(3600_000);
    const fired = config.pipelines.map((p) => scheduler.fire(p, new Date('2026-12-04T12:00:00Z')));
    expect(timers.map((t) => t.ms)).toEqual(config.pipelines.map((p) => jitterDelayMs(p.id, 3600_000)));
    expect(new Set(timers.map((t) => t.ms)).size).toBe(3);
    expect(await queue.list({})).toEqual([]);

    for (const t of timers) t.fn();
    await Promise.all(fired);
    const jobs = await queue.list({});
    expect(jobs.map((j) => j.pipeline).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(jobs.every((j) => j.requestedBy.kind === 'cron')).toBe(true);
    // The tick counts as handled once queued (a restart during the wait catches it up instead).
    expect(store.scheduleState.get('alpha')?.lastScheduledAt).toBe('2026-12-04T12:00:00.000Z');
    for (const p of ['alpha', 'beta', 'gamma']) rounds.finished(p);
    expect(rounds.lastRound()?.pipelines).toBe(3);
  });

  it('with the budget nearly spent, a scheduled check is held until GitHub resets the limit', async () => {
    const clock = { now: () => new Date('2026-12-04T12:10:00Z') };
    store = openStore(await tempDir('jitter-'), { clock });
    const queue = new JobRunner({ store: store.jobs, log: silentLogger(), clock });
    let remaining = 100;
    const scheduler = new SyncScheduler({
      config,
      queue,
      scheduleState: store.scheduleState,
      clock,
      log: silentLogger(),
      budget: () => ({
        credential: 'token',
        limit: 5000,
        remaining,
        resetAt: '2026-12-04T12:40:00.000Z',
        observedAt: '2026-12-04T12:09:59.000Z',
      }),
    });
    await scheduler.tick(config.pipelines[0]!, new Date('2026-12-04T12:00:00Z'));
    remaining = 4000;
    await scheduler.tick(config.pipelines[1]!, new Date('2026-12-04T12:00:00Z'));
    const jobs = await queue.list({});
    expect(jobs.find((j) => j.pipeline === 'alpha')?.runAfter).toBe('2026-12-04T12:40:00.000Z');
    expect(Date.parse(jobs.find((j) => j.pipeline === 'beta')!.runAfter)).toBeLessThanOrEqual(
      Date.parse('2026-12-04T12:10:00Z'),
    );
  });
});
