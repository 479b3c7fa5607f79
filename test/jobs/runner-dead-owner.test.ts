import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newLeaseOwner, ownerIsGone, parseLeaseOwner } from '../../src/jobs/lease-owner.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnFixture } from './fixtures/child.js';
import { job, ManualClock, runnerFor, storeIn } from './fixtures/harness.js';

// A runner restarted on the same host resumes the jobs of a process that is gone without waiting
// for its lease to run out. The dead process holds an hour-long lease and the new runner's clock
// never moves, so expiry cannot be what hands the job over.

const HOUR = 3_600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('lease owners', () => {
  it.each([
    ['box:123:0a1b2c3d', { host: 'box', pid: 123 }],
    ['ip-10-0-0-1.internal:4567:ffffffff', { host: 'ip-10-0-0-1.internal', pid: 4567 }],
    ['doomed-worker', null],
    ['box:0:0a1b2c3d', null],
    ['box:12x:0a1b2c3d', null],
    ['box:123:short', null],
  ])('parses %j', (owner, expected) => {
    expect(parseLeaseOwner(owner)).toEqual(expected);
  });

  it('names this process and reads back', () => {
    expect(parseLeaseOwner(newLeaseOwner())).toEqual({ host: hostname(), pid: process.pid });
  });

  it.each([
    ['a dead pid on this host', 'box:99:0a1b2c3d', true],
    ['a live pid on this host', 'box:98:0a1b2c3d', false],
    ['this very process', 'box:1:0a1b2c3d', false],
    ['another host', 'elsewhere:99:0a1b2c3d', false],
    ['a name of another shape', 'resumer', false],
  ])('is gone only for %s', (_what, owner, gone) => {
    expect(ownerIsGone(owner, { host: 'box', pid: 1 }, (pid) => pid !== 99)).toBe(gone);
  });
});

describe('runner and a lease owner that is gone', () => {
  it('leaves a live process its job, and resumes it at once after that process is SIGKILLed', async () => {
    const dir = await tempDir();
    const store = storeIn(dir);
    cleanups.push(() => store.close());
    const clock = new ManualClock(new Date().toISOString());
    const runner = runnerFor(store, { clock, leaseMs: HOUR });
    runner.register({
      kind: 'hold',
      handler: async (ctx) => ({ first: await ctx.step('first', async () => ({ pid: process.pid })), by: 'resumer' }),
    });
    const events: string[] = [];
    runner.onChange((j) => events.push(`${j.dedupeKey} ${j.state}`));
    const { job: held } = await runner.enqueue(job('hold', 'held', null));

    const child = spawnFixture('./lease-holder.ts', [join(dir, 'data'), String(HOUR)]);
    cleanups.push(() => child.process.kill('SIGKILL'));
    await child.waitForLine(`holding ${held.id}`);
    const leased = (await runner.get(held.id))!;
    expect(leased).toMatchObject({ state: 'running', attempts: 1 });
    expect(parseLeaseOwner(leased.leaseOwner!)).toEqual({ host: hostname(), pid: child.process.pid });
    expect(Date.parse(leased.leaseUntil!)).toBeGreaterThan(clock.now().getTime() + HOUR / 2);

    // While its owner lives, the job stays with it: another job runs, this one is not touched.
    runner.start();
    cleanups.push(() => runner.stop());
    const { job: other } = await runner.enqueue(job('hold', 'other', null));
    expect(await runner.waitFor(other.id, { timeoutMs: 30_000 })).toMatchObject({ state: 'succeeded' });
    expect(await runner.get(held.id)).toMatchObject({ state: 'running', leaseOwner: leased.leaseOwner, attempts: 1 });

    child.process.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const done = await runner.waitFor(held.id, { timeoutMs: 30_000 });
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, leaseOwner: null });
    // The step the dead process recorded is not run again.
    expect(done.result).toEqual({ first: { pid: child.process.pid }, by: 'resumer' });
    expect(events).toEqual(['other running', 'other succeeded', 'held running', 'held succeeded']);
  });
});
