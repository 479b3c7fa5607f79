import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store/open-store.js';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import type { JobContext } from '../../src/ports/jobs.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnFixture } from './fixtures/child.js';
import { cli, job, runnerFor, storeIn } from './fixtures/harness.js';

const opened: Store[] = [];
const runners: JobRunner[] = [];

afterEach(async () => {
  while (runners.length) await runners.pop()!.stop();
  while (opened.length) opened.pop()!.close();
});

/** Replays an event log and returns every start that happened while one of its locks was held. */
function overlaps(events: { type: string; id: string; locks: string[] }[]): string[] {
  const holder = new Map<string, string>();
  const problems: string[] = [];
  for (const e of events) {
    for (const lock of e.locks) {
      if (e.type === 'start') {
        const current = holder.get(lock);
        if (current) problems.push(`${e.id} started while ${current} held ${lock}`);
        holder.set(lock, e.id);
      } else if (e.type === 'end' && holder.get(lock) === e.id) {
        holder.delete(lock);
      }
    }
  }
  return problems;
}

describe('locks', () => {
  it('runs jobs that share a lock one after the other, and others alongside', async () => {
    const store = storeIn(await tempDir());
    opened.push(store);
    const runner = runnerFor(store, { concurrency: 4 });
    runners.push(runner);
    const events: { type: string; id: string; locks: string[] }[] = [];
    let otherStarted!: () => void;
    const otherRunning = new Promise<void>((resolve) => (otherStarted = resolve));
    const handler = async (ctx: JobContext): Promise<void> => {
      const id = ctx.job.dedupeKey;
      events.push({ type: 'start', id, locks: ctx.job.locks });
      // The litellm sync holds its pipeline until the other pipeline's sync has started.
      if (id === 'sync:litellm') await otherRunning;
      if (id === 'sync:other') otherStarted();
      await ctx.step('work', async () => id);
      events.push({ type: 'end', id, locks: ctx.job.locks });
    };
    for (const kind of ['sync', 'release', 'resolve']) runner.register({ kind, handler });
    await runner.enqueue({ ...jobIdentity.sync('litellm'), data: null, requestedBy: cli });
    await runner.enqueue({ ...jobIdentity.release('litellm'), data: null, requestedBy: cli });
    await runner.enqueue({ ...jobIdentity.resolve('litellm', 'CartoDB/litellm', 7), data: null, requestedBy: cli });
    await runner.enqueue({ ...jobIdentity.sync('other'), data: null, requestedBy: cli });
    await runner.runUntilIdle();

    const at = (type: string, id: string): number => events.findIndex((e) => e.type === type && e.id === id);
    expect(events).toHaveLength(8);
    expect(overlaps(events)).toEqual([]);
    // Really concurrent: the other pipeline ran while litellm's sync held its pipeline.
    expect(at('start', 'sync:other')).toBeLessThan(at('end', 'sync:litellm'));
    expect(at('start', 'release:litellm')).toBeGreaterThan(at('end', 'sync:litellm'));
    expect(at('start', 'resolve:CartoDB/litellm#7')).toBeGreaterThan(at('end', 'sync:litellm'));
  });

  it('two processes on one database run every job exactly once and never share a lock', async () => {
    const dir = await tempDir();
    const store = storeIn(dir);
    opened.push(store);
    const eventsFile = join(dir, 'events.log');
    const barrier = join(dir, 'barrier');
    await mkdir(barrier);
    await writeFile(eventsFile, '');
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const lock = `pipeline:p${i % 4}`;
      ids.push((await runnerFor(store).enqueue(job('count', `count:${i}`, i, { locks: [lock] }))).job.id);
    }

    const workers = ['w1', 'w2'].map((name) =>
      spawnFixture('./count-worker.ts', [join(dir, 'data'), eventsFile, barrier, name, 'w1,w2']),
    );
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const events = (await readFile(eventsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => {
        const [type, id, lock, worker] = line.split(' ') as [string, string, string, string];
        return { type, id, locks: [lock], worker };
      });
    const effects = events.filter((e) => e.type === 'effect');
    expect(effects.map((e) => Number(e.id)).sort((a, b) => a - b)).toEqual(ids);
    expect(overlaps(events)).toEqual([]);
    expect(new Set(effects.map((e) => e.worker))).toEqual(new Set(['w1', 'w2']));
    expect((await runnerFor(store).list({ states: ['succeeded'], limit: 100 })).length).toBe(40);
  });
});
