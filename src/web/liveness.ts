import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthReport } from './server.js';

// /healthz: is this process alive enough to be left running? The event loop turns (a blocked
// loop would not answer at all; a badly lagging one is reported) and the database answers.
// Nothing outside the process counts here: a Slack outage is for /readyz, and restarting the
// process would not end it.

const MAX_LAG_MS = 2_000;

export class Liveness {
  private readonly delay: IntervalHistogram;

  constructor(private readonly pingDb: () => void) {
    this.delay = monitorEventLoopDelay({ resolution: 20 });
    this.delay.enable();
  }

  report(): HealthReport {
    const lagMs = Math.round(this.delay.percentile(99) / 1e6);
    this.delay.reset();
    let db: { ok: boolean; detail: string };
    try {
      this.pingDb();
      db = { ok: true, detail: 'answers' };
    } catch (err) {
      db = { ok: false, detail: `does not answer: ${err instanceof Error ? err.message : String(err)}` };
    }
    const loop = { ok: lagMs < MAX_LAG_MS, detail: `p99 delay ${lagMs} ms since the last probe` };
    return { ok: db.ok && loop.ok, checks: { eventLoop: loop, database: db } };
  }

  close(): void {
    this.delay.disable();
  }
}
