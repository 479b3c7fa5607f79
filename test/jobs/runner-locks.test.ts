import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store/open-store.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnFixture } from './fixtures/child.js';
import { job, runnerFor, storeIn } from './fixtures/harness.js';

const opened: Store[] = [];
const runners: JobRunner[] = [];

afterEach(async () => {
  while (runners.length) await runners.pop()!.stop();
  while (opened.length) opened.pop()!.close();
});

/** Replays an event log and returns every start that happened while its lock was held. */
function overlaps(events: { type: string; id: string; lock: string }[]): string[] {
  const holder = new Map<string, string>();
  const problems: string[] = [];
  for (const e of events) {
    if (e.type === 'start') {
      const current = holder.get(e.lock);
      if (current) problems.push(`job ${e.id} started while job ${current} held ${e.lock}`);
      holder.set(e.lock, e.id);
    } else if (e.type === 'end' && holder.get(e.lock) === e.id) {
      holder.delete(e.lock);
    }
  }
  return problems;
}

describe('locks', () => {
  it('runs jobs that share a lock one after the other, and others alongside', async () => {
    const store = storeIn(await tempDir());
    opened.push(store);
    const runner = runnerFor(store, { concurrency: 3 });
    runners.push(runner);
    const log: string[] = [];
    let otherStarted!: () => void;
    const otherRunning = new Promise<void>((resolve) => (otherStarted = resolve));
    runner.register({
      kind: 'work',
      handler: async (ctx) => {
        const name = ctx.job.data as string;
        log.push(`${name}:start`);
        if (name === 'sync-a') await otherRunning; // holds pipeline:litellm until the PR job has started
        if (name === 'resolve-pr') otherStarted();
        log.push(`${name}:end`);
      },
    });
    await runner.enqueue(job('work', 'sync:litellm', 'sync-a', { locks: ['pipeline:litellm'] }));
    await runner.enqueue(job('work', 'release:litellm', 'release-b', { locks: ['pipeline:litellm'] }));
    await runner.enqueue(job('work', 'resolve:CartoDB/litellm#7', 'resolve-pr', { locks: ['pr:CartoDB/litellm#7'] }));
    await runner.runUntilIdle();

    // The PR job ran while sync-a held the pipeline (so the runner does run jobs at once), yet
    // release-b, which wants the same pipeline, started only after sync-a ended.
    expect(log.indexOf('resolve-pr:start')).toBeLessThan(log.indexOf('sync-a:end'));
    expect(log.indexOf('release-b:start')).toBeGreaterThan(log.indexOf('sync-a:end'));
    expect(log).toHaveLength(6);
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

    const workers = ['w1', 'w2'].map((name) => spawnFixture('./count-worker.ts', [join(dir, 'data'), eventsFile, barrier, name, 'w1,w2']));
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);

    const events = (await readFile(eventsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => {
        const [type, id, lock, worker] = line.split(' ') as [string, string, string, string];
        return { type, id, lock, worker };
      });
    const effects = events.filter((e) => e.type === 'effect');
    expect(effects.map((e) => Number(e.id)).sort((a, b) => a - b)).toEqual(ids);
    expect(overlaps(events)).toEqual([]);
    expect(new Set(effects.map((e) => e.worker))).toEqual(new Set(['w1', 'w2']));
    expect((await runnerFor(store).list({ states: ['succeeded'], limit: 100 })).length).toBe(40);
  });
});
