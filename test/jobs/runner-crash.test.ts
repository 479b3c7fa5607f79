import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store/open-store.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnFixture, type Fixture } from './fixtures/child.js';
import { CommentStandIn } from './fixtures/comment-stand-in.js';
import { CRASH_KIND, crashJob } from './fixtures/crash-job.js';
import { ManualClock, job, runnerFor, storeIn } from './fixtures/harness.js';

// Invariant 6: kill -9 at any point, restart, and the end state is the same. A real child
// process runs the job against a real SQLite file and a real HTTP stand-in and is SIGKILLed.
//
// Nothing here depends on how fast the machine is (issue 11 item 10): the child's lease is far
// longer than any test, so it can never lapse on its own while the child waits to be killed, not
// even with its heartbeat starved under load; the resumer's clock is a manual one, moved past the
// lease only after the kill, so the takeover happens exactly then, and because of that.

const LEASE_MS = 10 * 60_000;
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function crashAt(point: string) {
  const dir = await tempDir();
  const standIn = await CommentStandIn.start();
  cleanups.push(() => standIn.close());
  const clock = new ManualClock(new Date().toISOString());
  const store: Store = storeIn(dir, clock);
  cleanups.push(() => store.close());
  const resumer = runnerFor(store, { owner: 'resumer', leaseMs: LEASE_MS, clock });
  resumer.register(crashJob(standIn.url, 'resumer'));
  const { job: queued } = await resumer.enqueue(
    job(CRASH_KIND, 'crash:1', null, { pipeline: 'litellm', locks: ['pipeline:litellm'] }),
  );

  const child: Fixture = spawnFixture('./crash-worker.ts', [join(dir, 'data'), standIn.url, point, String(LEASE_MS)]);
  cleanups.push(() => child.process.kill('SIGKILL'));
  await child.waitForLine(point);
  child.process.kill('SIGKILL');
  expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
  // Still leased to the dead process: only the expiry of that lease hands the job over.
  expect(await resumer.get(queued.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker', attempts: 1 });
  expect(await resumer.runUntilIdle({ timeoutMs: 0 }).catch((err: Error) => err.message)).toBe(
    'jobs are still pending',
  );
  expect(await resumer.get(queued.id)).toMatchObject({ state: 'running', leaseOwner: 'doomed-worker', attempts: 1 });
  // The child renewed its lease on its own (wall) clock: catch up with that, then pass the lease.
  clock.advance(Date.now() - clock.now().getTime() + LEASE_MS + 1);

  await resumer.runUntilIdle({ timeoutMs: 30_000 });
  const done = await resumer.get(queued.id);
  const by = (worker: string) =>
    standIn.requests.filter((r) => r.worker === worker).map((r) => `${r.method} ${r.marker}`);
  return { done, standIn, by };
}

describe('crash safety', () => {
  it('a worker killed in the middle of a step: the resumed job finishes and the effect happened once', async () => {
    const { done, standIn, by } = await crashAt('effect:two');

    expect(standIn.comments.map((c) => [c.marker, c.worker])).toEqual([
      ['one', 'doomed'],
      ['two', 'doomed'],
      ['three', 'resumer'],
    ]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, leaseOwner: null });
    // Step one was recorded before the kill and is not run again; step two was not recorded, so
    // it runs again, looks first, and finds its own comment instead of posting a second one.
    expect(by('resumer')).toEqual(['GET two', 'GET three', 'POST three']);
    expect(done?.result).toEqual({
      one: { id: 1, created: true },
      two: { id: 2, created: false },
      three: { id: 3, created: true },
    });
  });

  it('a worker killed between two steps: the resumed job runs only the steps left', async () => {
    const { done, standIn, by } = await crashAt('recorded:two');

    expect(standIn.comments.map((c) => [c.marker, c.worker])).toEqual([
      ['one', 'doomed'],
      ['two', 'doomed'],
      ['three', 'resumer'],
    ]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(by('resumer')).toEqual(['GET three', 'POST three']);
    expect(done?.result).toEqual({
      one: { id: 1, created: true },
      two: { id: 2, created: true },
      three: { id: 3, created: true },
    });
  });
});
