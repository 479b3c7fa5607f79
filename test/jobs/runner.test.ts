import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store/open-store.js';
import { AppError, isAppError } from '../../src/errors.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import { tempDir } from '../helpers/tmp.js';
import { cli, job, ManualClock, runnerFor, storeIn } from './fixtures/harness.js';

const opened: Store[] = [];
const runners: JobRunner[] = [];

async function setup(options: Parameters<typeof runnerFor>[1] = {}): Promise<{ store: Store; runner: JobRunner }> {
  const store = storeIn(await tempDir(), options.clock);
  const runner = runnerFor(store, options);
  opened.push(store);
  runners.push(runner);
  return { store, runner };
}

afterEach(async () => {
  while (runners.length) await runners.pop()!.stop();
  while (opened.length) opened.pop()!.close();
});

describe('enqueue', () => {
  it('dedupes on the key while a job is active, and allows a new one after it finished', async () => {
    const { runner } = await setup();
    runner.register({ kind: 'sync', handler: async () => 'done' });
    const first = await runner.enqueue(
      job('sync', 'sync:litellm', { tag: 'v1' }, { pipeline: 'litellm', locks: ['pipeline:litellm'] }),
    );
    const second = await runner.enqueue(job('sync', 'sync:litellm', { tag: 'v2' }, { pipeline: 'litellm' }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ job: first.job, created: false });
    expect(first.job).toMatchObject({
      state: 'queued',
      attempts: 0,
      maxAttempts: 5,
      locks: ['pipeline:litellm'],
      requestedBy: cli,
      data: { tag: 'v1' },
    });

    await runner.runUntilIdle();
    const third = await runner.enqueue(job('sync', 'sync:litellm', { tag: 'v3' }));
    expect(third.created).toBe(true);
    expect(third.job.id).not.toBe(first.job.id);
    expect((await runner.get(first.job.id))?.state).toBe('succeeded');
    expect((await runner.list({ kind: 'sync' })).map((j) => j.id)).toEqual([third.job.id, first.job.id]);
  });

  it('refuses malformed input before it reaches the database', async () => {
    const { runner } = await setup();
    for (const bad of [
      job('', 'k', null),
      job('sync', '', null),
      job('sync', 'k', null, { locks: ['pipeline:a', ''] }),
      job('sync', 'k', null, { maxAttempts: 0 }),
      job('sync', 'k', null, { runAfter: 'next tuesday' }),
      job('sync', 'k', undefined),
    ]) {
      await expect(runner.enqueue(bad)).rejects.toMatchObject({ code: 'validation' });
    }
    expect(await runner.list({})).toEqual([]);
  });

  it('holds a job back until its runAfter', async () => {
    const clock = new ManualClock();
    const { runner } = await setup({ clock });
    runner.register({ kind: 'later', handler: async () => 'ran' });
    const { job: queued } = await runner.enqueue(job('later', 'l', null, { runAfter: '2026-01-05T11:00:00+01:00' }));
    expect(queued.runAfter).toBe('2026-01-05T10:00:00.000Z');
    const { job: tomorrow } = await runner.enqueue(job('later', 't', null, { runAfter: '2026-01-06T10:00:00Z' }));
    await runner.runUntilIdle({ horizonMs: 0 });
    expect((await runner.get(queued.id))?.state).toBe('succeeded');
    expect((await runner.get(tomorrow.id))?.state).toBe('queued');
  });
});

describe('errors', () => {
  it('retries transient errors with backoff until the handler succeeds', async () => {
    const { runner } = await setup();
    let calls = 0;
    runner.register({
      kind: 'flaky',
      handler: async () => {
        calls += 1;
        if (calls < 3) throw new AppError('unavailable', 'GitHub answered 502');
        return { calls };
      },
    });
    const seen: string[] = [];
    const unsubscribe = runner.onChange((j) => seen.push(`${j.state}/${j.attempts}`));
    const { job: queued } = await runner.enqueue(job('flaky', 'flaky:1', null));
    await runner.runUntilIdle();
    expect(await runner.get(queued.id)).toMatchObject({
      state: 'succeeded',
      attempts: 3,
      result: { calls: 3 },
      error: null,
    });
    expect(seen).toEqual(['running/1', 'queued/1', 'running/2', 'queued/2', 'running/3', 'succeeded/3']);
    unsubscribe();
  });

  it('fails at once on a permanent error, and on an error that is not an AppError', async () => {
    const { runner } = await setup();
    runner.register({
      kind: 'denied',
      handler: async () => Promise.reject(new AppError('forbidden', 'no push access')),
    });
    runner.register({ kind: 'bug', handler: async () => Promise.reject(new TypeError('x is undefined')) });
    const denied = (await runner.enqueue(job('denied', 'd', null))).job;
    const bug = (await runner.enqueue(job('bug', 'b', null))).job;
    await runner.runUntilIdle();
    expect(await runner.get(denied.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'forbidden', message: 'no push access' },
    });
    expect(await runner.get(bug.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'internal', message: 'x is undefined' },
    });
    expect((await runner.get(bug.id))?.finishedAt).not.toBeNull();
  });

  it('gives up on transient errors after maxAttempts and keeps the failed job visible', async () => {
    const { runner } = await setup();
    runner.register({
      kind: 'down',
      maxAttempts: 3,
      handler: async () => Promise.reject(new AppError('network', 'ECONNRESET')),
    });
    const { job: queued } = await runner.enqueue(job('down', 'down:1', null));
    await runner.runUntilIdle();
    expect(await runner.get(queued.id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      maxAttempts: 3,
      error: { code: 'network', message: 'gave up after 3 attempts: ECONNRESET' },
    });
    expect((await runner.list({ states: ['failed'] })).map((j) => j.id)).toEqual([queued.id]);
  });

  it('waits as long as the error asks (retryAfterMs), measured on the injected clock', async () => {
    const clock = new ManualClock();
    const { runner } = await setup({ clock, random: () => 0 });
    let calls = 0;
    runner.register({
      kind: 'limited',
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new AppError('rate_limited', 'slow down', { retryAfterMs: 30_000 });
        return 'ok';
      },
    });
    const { job: queued } = await runner.enqueue(job('limited', 'l', null));
    await runner.runUntilIdle({ horizonMs: 0 });
    const waiting = await runner.get(queued.id);
    expect(waiting).toMatchObject({
      state: 'queued',
      attempts: 1,
      runAfter: '2026-01-05T10:00:30.000Z',
      error: { code: 'rate_limited' },
    });

    clock.advance(29_999);
    await runner.runUntilIdle({ horizonMs: 0 });
    expect(calls).toBe(1);
    clock.advance(1);
    await runner.runUntilIdle({ horizonMs: 0 });
    expect(await runner.get(queued.id)).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('ends a job as cancelled when the handler throws AppError cancelled', async () => {
    const { runner } = await setup();
    runner.register({
      kind: 'skip',
      handler: async () => Promise.reject(new AppError('cancelled', 'release skipped by U1')),
    });
    const { job: queued } = await runner.enqueue(job('skip', 's', null));
    await runner.runUntilIdle();
    expect(await runner.get(queued.id)).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
  });
});

describe('steps and retry()', () => {
  it('re-queues a failed job; finished steps are not run again', async () => {
    const { store, runner } = await setup();
    const ran: string[] = [];
    let broken = true;
    runner.register({
      kind: 'sync',
      handler: async (ctx) => {
        const pushed = await ctx.step('push-branch', async () => {
          ran.push('push-branch');
          return { sha: 'abc123', at: new Date('2026-01-01T00:00:00Z') };
        });
        await ctx.step('open-pr', async () => {
          ran.push('open-pr');
          if (broken) throw new AppError('validation', 'PR body too long');
          return 17;
        });
        return { pushed };
      },
    });
    const { job: queued } = await runner.enqueue(job('sync', 'sync:litellm', null, { pipeline: 'litellm' }));
    await runner.runUntilIdle();
    expect(await runner.get(queued.id)).toMatchObject({ state: 'failed', error: { code: 'validation' } });

    broken = false;
    const retried = await runner.retry(queued.id, { kind: 'slack', id: 'U42', via: 'C1' });
    expect(retried).toMatchObject({ state: 'queued', attempts: 0, finishedAt: null });
    await runner.runUntilIdle();

    expect(ran).toEqual(['push-branch', 'open-pr', 'open-pr']);
    // The first run already saw the JSON form a resumed run would read back.
    expect(await runner.get(queued.id)).toMatchObject({
      state: 'succeeded',
      result: { pushed: { sha: 'abc123', at: '2026-01-01T00:00:00.000Z' } },
    });
    expect(store.audit.list({ action: 'job.retry' })).toMatchObject([
      { actor: { id: 'U42' }, target: `job:${queued.id}`, pipeline: 'litellm', outcome: 'done' },
    ]);
  });

  it('refuses to retry a job that succeeded or whose key is active again', async () => {
    const { runner } = await setup();
    runner.register({
      kind: 'k',
      handler: async (ctx) => (ctx.job.data === 'bad' ? Promise.reject(new AppError('conflict', 'no')) : 'ok'),
    });
    const bad = (await runner.enqueue(job('k', 'same', 'bad'))).job;
    await runner.runUntilIdle();
    const active = (await runner.enqueue(job('k', 'same', 'good'))).job;
    await expect(runner.retry(bad.id, cli)).rejects.toMatchObject({
      code: 'conflict',
      details: { activeJobId: active.id },
    });
    await runner.runUntilIdle();
    await expect(runner.retry(active.id, cli)).rejects.toMatchObject({ code: 'conflict' });
    await expect(runner.retry(9999, cli)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects a step name used twice in one run', async () => {
    const { runner } = await setup();
    runner.register({
      kind: 'twice',
      handler: async (ctx) => {
        await ctx.step('a', async () => 1);
        await ctx.step('a', async () => 2);
      },
    });
    const { job: queued } = await runner.enqueue(job('twice', 't', null));
    await runner.runUntilIdle();
    expect(await runner.get(queued.id)).toMatchObject({
      state: 'failed',
      error: { code: 'internal', message: expect.stringMatching(/step "a" ran twice/) },
    });
  });
});

describe('kinds without a handler', () => {
  it('stay queued for a runner that has the handler', async () => {
    const { store, runner } = await setup();
    runner.register({ kind: 'sync', handler: async () => 'synced' });
    const { job: orphan } = await runner.enqueue(job('release', 'release:litellm', null));
    await runner.runUntilIdle();
    expect(await runner.get(orphan.id)).toMatchObject({ state: 'queued', attempts: 0 });

    const other = runnerFor(store);
    runners.push(other);
    other.register({ kind: 'release', handler: async () => 'released' });
    await other.runUntilIdle();
    expect(await runner.get(orphan.id)).toMatchObject({ state: 'succeeded', result: 'released' });
  });
});

describe('start, stop and the abort signal', () => {
  it('waitFor() resolves when a started runner finishes the job, and times out otherwise', async () => {
    const { runner } = await setup();
    runner.register({ kind: 'quick', handler: async (ctx) => ({ echo: ctx.job.data }) });
    runner.start();
    const { job: queued } = await runner.enqueue(job('quick', 'q', 'hello'));
    expect(await runner.waitFor(queued.id, { timeoutMs: 30_000 })).toMatchObject({
      state: 'succeeded',
      result: { echo: 'hello' },
    });

    const { job: never } = await runner.enqueue(job('nobody-handles-this', 'n', null));
    await expect(runner.waitFor(never.id, { timeoutMs: 20 })).rejects.toSatisfy((err) => isAppError(err, 'timeout'));
    await expect(runner.waitFor(424242)).rejects.toSatisfy((err) => isAppError(err, 'not_found'));
  });

  it('stop() aborts running jobs and puts them back in the queue without spending an attempt', async () => {
    const { runner } = await setup();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    runner.register({
      kind: 'long',
      handler: async (ctx) => {
        started();
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      },
    });
    runner.start();
    const { job: queued } = await runner.enqueue(job('long', 'long', null));
    await running;
    await runner.stop();
    expect(await runner.get(queued.id)).toMatchObject({ state: 'queued', attempts: 0, leaseOwner: null });
  });

  it('aborts the handler when another runner took the lease, and never lets it write again', async () => {
    const { store, runner } = await setup({ heartbeatMs: 5 });
    let seen: unknown;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    runner.register({
      kind: 'slow',
      handler: async (ctx) => {
        store.db.prepare("UPDATE jobs SET lease_owner = 'thief' WHERE id = ?").run(ctx.job.id);
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        seen = ctx.signal.reason;
        try {
          await ctx.step('after-loss', async () => 'must not be recorded');
        } finally {
          finished();
        }
      },
    });
    runner.start();
    const { job: queued } = await runner.enqueue(job('slow', 'slow', null));
    await done;
    await runner.stop();
    expect(isAppError(seen, 'lease_lost')).toBe(true);
    expect(await runner.get(queued.id)).toMatchObject({ state: 'running', leaseOwner: 'thief', error: null });
    expect(store.jobs.getStep(queued.id, 'after-loss')).toBeNull();
  });
});

describe('leases', () => {
  it('takes over a job whose lease expired, and fails one that used up its attempts', async () => {
    const clock = new ManualClock();
    const { store, runner } = await setup({ clock, leaseMs: 60_000 });
    runner.register({ kind: 'work', maxAttempts: 2, handler: async () => 'resumed' });
    const a = (await runner.enqueue(job('work', 'a', null, { locks: ['pipeline:a'] }))).job;
    const b = (await runner.enqueue(job('work', 'b', null, { locks: ['pipeline:b'], maxAttempts: 1 }))).job;
    const c = (await runner.enqueue(job('work', 'c', null, { locks: ['pipeline:a'] }))).job;
    // A process that died holding a and b (c waits behind a's lock).
    const dead = { owner: 'dead', kinds: ['work'], leaseMs: 10_000 };
    expect(store.jobs.claim({ ...dead, now: clock.now() })?.id).toBe(a.id);
    expect(store.jobs.claim({ ...dead, now: clock.now() })?.id).toBe(b.id);
    expect(store.jobs.claim({ ...dead, now: clock.now() })).toBeNull();

    // One pass: the dead process's lease is still live, so nothing may be taken yet.
    await expect(runner.runUntilIdle({ timeoutMs: 0 })).rejects.toMatchObject({ code: 'timeout' });
    expect(await runner.get(a.id)).toMatchObject({ state: 'running', leaseOwner: 'dead' });
    expect(await runner.get(c.id)).toMatchObject({ state: 'queued', attempts: 0 });

    clock.advance(10_001);
    await runner.runUntilIdle();
    expect(await runner.get(a.id)).toMatchObject({ state: 'succeeded', attempts: 2, result: 'resumed' });
    expect(await runner.get(b.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'lease_lost', message: expect.stringMatching(/abandoned/) },
    });
    expect(await runner.get(c.id)).toMatchObject({ state: 'succeeded', attempts: 1 });
  });
});

describe('a stall longer than the lease', () => {
  it('never makes the runner start a second attempt of a job it is still running', async () => {
    // The clock jumps past the lease while the job waits, and heartbeats never come: what a
    // blocked event loop under load does. A probe job queued after the jump is claimed only
    // after the expired job would have been (resumptions come first), so once it ran the runner
    // has had its chance to take the stalled job again.
    const clock = new ManualClock();
    const { runner } = await setup({ clock, leaseMs: 1_000, heartbeatMs: 3_600_000, concurrency: 2 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stalled!: () => void;
    const inStep = new Promise<void>((resolve) => (stalled = resolve));
    let attempts = 0;
    runner.register({
      kind: 'slow',
      handler: async (ctx) => {
        attempts += 1;
        return ctx.step('work', async () => {
          stalled();
          await released;
          return 'done';
        });
      },
    });
    runner.register({ kind: 'probe', handler: async () => 'probed' });
    const { job: slow } = await runner.enqueue(job('slow', 'slow', null));
    runner.start();
    await inStep;
    clock.advance(5_000);
    const { job: probe } = await runner.enqueue(job('probe', 'probe', null));
    await runner.waitFor(probe.id);

    try {
      expect(attempts).toBe(1);
    } finally {
      release();
    }
    expect(await runner.waitFor(slow.id)).toMatchObject({ state: 'succeeded', attempts: 1, result: 'done' });
    expect(attempts).toBe(1);
  });
});
