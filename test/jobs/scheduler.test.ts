import { firstReleaseSync } from '../helpers/pipelines.js';
import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/adapters/store/open-store.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { lastFireTime, SyncScheduler } from '../../src/jobs/scheduler.js';
import { enqueueSync } from '../../src/pipelines/release-sync/sync-run.js';
import { tempDir } from '../helpers/tmp.js';

const PIPELINE = {
  upstream: { repo: 'BerriAI/litellm', tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
  fork: { repo: 'CartoDB/litellm', productionBranch: 'carto/main' },
  version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
};

const config = parseConfig({
  pipelines: [
    { id: 'litellm', ...PIPELINE, schedule: '0 12 * * 1' },
    { id: 'madrid', ...PIPELINE, schedule: '0 12 * * 1', timezone: 'Europe/Madrid' },
    { id: 'manual', ...PIPELINE },
  ],
});

const stores: Store[] = [];
const schedulers: SyncScheduler[] = [];
afterEach(async () => {
  while (schedulers.length) await schedulers.pop()!.stop();
  while (stores.length) stores.pop()!.close();
});

async function setup(now: string) {
  const clock = { now: () => new Date(now) };
  const store = openStore(await tempDir('scheduler-'), { clock });
  stores.push(store);
  const queue = new JobRunner({ store: store.jobs, log: silentLogger(), clock });
  const make = () => {
    const s = new SyncScheduler({ config, queue, scheduleState: store.scheduleState, clock, log: silentLogger() });
    schedulers.push(s);
    return s;
  };
  return { store, queue, make };
}

function matcher(expression: string, timezone: string) {
  const task = cron.createTask(expression, () => undefined, { timezone });
  return { match: (d: Date) => task.match(d), done: () => task.destroy() };
}

describe('lastFireTime', () => {
  it.each([
    ['missed this Monday noon', 'UTC', '2026-03-02T12:00:00Z', '2026-03-09T13:05:00Z', '2026-03-09T12:00:00.000Z'],
    ['not yet due', 'UTC', '2026-03-02T12:00:00Z', '2026-03-09T11:59:00Z', null],
    ['already handled', 'UTC', '2026-03-09T12:00:00Z', '2026-03-09T18:00:00Z', null],
    [
      'Madrid noon in winter is 11:00 UTC',
      'Europe/Madrid',
      '2026-03-02T11:00:00Z',
      '2026-03-09T11:30:00Z',
      '2026-03-09T11:00:00.000Z',
    ],
    [
      'Madrid noon in summer is 10:00 UTC',
      'Europe/Madrid',
      '2026-06-01T10:00:00Z',
      '2026-06-08T10:30:00Z',
      '2026-06-08T10:00:00.000Z',
    ],
  ])('%s', async (_name, tz, after, upTo, expected) => {
    const m = matcher('0 12 * * 1', tz);
    try {
      expect(lastFireTime(m.match, new Date(after), new Date(upTo))?.toISOString() ?? null).toBe(expected);
    } finally {
      await m.done();
    }
  });
});

describe('SyncScheduler', () => {
  it('on a first start records the time and enqueues nothing', async () => {
    const { store, queue, make } = await setup('2026-03-09T13:00:00Z');
    await make().start();
    expect(await queue.list({})).toEqual([]);
    expect(store.scheduleState.get('litellm')?.lastScheduledAt).toBe('2026-03-09T13:00:00.000Z');
    expect(store.scheduleState.get('manual')).toBeNull();
  });

  it('catches a run missed while down up once, and not again on the next start', async () => {
    const { store, queue, make } = await setup('2026-03-09T13:00:00Z');
    store.scheduleState.set('litellm', { lastScheduledAt: '2026-03-02T12:00:00.000Z' });
    store.scheduleState.set('madrid', { lastScheduledAt: '2026-03-09T11:00:00.000Z' });
    await make().start();
    const jobs = await queue.list({});
    expect(jobs.map((j) => [j.kind, j.pipeline, j.dedupeKey, j.requestedBy.kind])).toEqual([
      ['sync', 'litellm', 'sync:litellm', 'cron'],
    ]);
    expect(store.scheduleState.get('litellm')?.lastScheduledAt).toBe('2026-03-09T12:00:00.000Z');
    await make().start();
    expect(await queue.list({})).toHaveLength(1);
  });

  it('makes one job of a tick and a manual trigger at the same moment', async () => {
    const { queue, make } = await setup('2026-03-09T12:00:00Z');
    const scheduler = make();
    await Promise.all([
      scheduler.tick(firstReleaseSync(config), new Date('2026-03-09T12:00:00Z')),
      enqueueSync(queue, { pipeline: 'litellm' }, { kind: 'cli', id: 'ana' }),
      enqueueSync(queue, { pipeline: 'litellm' }, { kind: 'slack', id: 'U012ABCDEF' }),
    ]);
    expect(await queue.list({ pipeline: 'litellm' })).toHaveLength(1);
  });

  it('schedules each pipeline in its own time zone', async () => {
    const { make } = await setup('2026-03-09T13:00:00Z');
    const scheduler = make();
    await scheduler.start();
    const wall = (d: Date | null, timeZone: string) =>
      d &&
      new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(d);
    expect(wall(scheduler.nextRun('litellm'), 'UTC')).toBe('Mon 12:00');
    expect(wall(scheduler.nextRun('madrid'), 'Europe/Madrid')).toBe('Mon 12:00');
    expect(scheduler.nextRun('manual')).toBeNull();
  });
});
