import type { HealthReport } from './server.js';

// What /healthz and /readyz answer from: facts the running parts report as they happen (the
// socket's state changes, each GitHub answer, each Slack post), read when probed. Liveness is
// "this process can still work" (event loop, database); readiness is "it is doing its job"
// (Slack connected, GitHub accepts the credentials, schedule on time, outbox moving, cards
// reaching their channel). A failing part is named with what to do.

export type SocketState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface ReadinessSources {
  /** Pipelines whose scheduled run is overdue (see SyncScheduler.overdue). */
  overdueSchedules?: () => string[];
  /** Outbox rows waiting to be sent, and the oldest one's age. */
  outbox?: () => { pending: number; oldestPendingMs: number | null };
}

export interface HealthSignalsOptions {
  now?: () => number;
  /** `reconnecting` is normal for a few seconds; longer counts as down (default 30 s). */
  socketGraceMs?: number;
  /** A pending outbox row older than this is stuck (default 10 min). */
  outboxStuckMs?: number;
}

export class HealthSignals {
  /** `since`: when the socket was last connected or, while down, when it went down. */
  private socket: { state: SocketState; since: number } = { state: 'connecting', since: 0 };
  private github: { ok: boolean; at: number; detail: string } | null = null;
  private readonly notInChannel = new Map<string, number>();
  private readonly now: () => number;
  private readonly graceMs: number;
  private readonly stuckMs: number;
  sources: ReadinessSources = {};

  constructor(options: HealthSignalsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.graceMs = options.socketGraceMs ?? 30_000;
    this.stuckMs = options.outboxStuckMs ?? 10 * 60_000;
    this.socket.since = this.now();
  }

  socketChanged(state: SocketState): void {
    // connecting → reconnecting → connecting … is one outage: it is timed from its start.
    const wasUp = this.socket.state === 'connected';
    if (state === 'connected' || wasUp) this.socket = { state, since: this.now() };
    else this.socket = { state, since: this.socket.since };
  }

  /** Every GitHub answer: 401 means the credentials were refused; any other answer means they work. */
  githubAnswered(status: number | null): void {
    if (status === null) return; // no answer says nothing about the credentials
    if (status === 401) this.github = { ok: false, at: this.now(), detail: 'GitHub refused the credentials (401)' };
    else if (!this.github || !this.github.ok || this.now() - this.github.at > 1000)
      this.github = { ok: true, at: this.now(), detail: `credentials accepted (HTTP ${status})` };
  }

  /** A post to `channel` failed with not_in_channel; true the first time (the caller reports it once). */
  notInChannelFailed(channel: string): boolean {
    const first = !this.notInChannel.has(channel);
    this.notInChannel.set(channel, this.now());
    return first;
  }

  /** A post to `channel` worked: the bot has been invited. */
  channelWorked(channel: string): void {
    this.notInChannel.delete(channel);
  }

  channelsNotJoined(): string[] {
    return [...this.notInChannel.keys()].sort();
  }

  readiness(): HealthReport {
    const now = this.now();
    const checks: HealthReport['checks'] = {};
    const s = this.socket;
    const forS = Math.round((now - s.since) / 1000);
    checks.slack =
      s.state === 'connected'
        ? { ok: true, detail: 'socket connected' }
        : {
            ok: s.state !== 'disconnected' && now - s.since < this.graceMs,
            detail: `socket ${s.state === 'disconnected' ? 'disconnected' : 'reconnecting'} for ${forS}s (down after ${Math.round(this.graceMs / 1000)}s)`,
          };
    checks.github = this.github
      ? {
          ok: this.github.ok,
          detail: `${this.github.detail}, ${Math.round((now - this.github.at) / 1000)}s ago${this.github.ok ? '' : ': run `upstream-sync doctor`'}`,
        }
      : { ok: true, detail: 'not used yet' };
    const overdue = this.sources.overdueSchedules?.() ?? [];
    checks.scheduler =
      overdue.length > 0
        ? { ok: false, detail: `scheduled sync overdue for ${overdue.join(', ')}` }
        : { ok: true, detail: 'on time' };
    const outbox = this.sources.outbox?.();
    if (outbox) {
      const stuck = outbox.oldestPendingMs !== null && outbox.oldestPendingMs > this.stuckMs;
      checks.outbox = {
        ok: !stuck,
        detail: stuck
          ? `${outbox.pending} pending, the oldest for ${Math.round((outbox.oldestPendingMs ?? 0) / 1000)}s`
          : `${outbox.pending} pending`,
      };
    }
    const missing = this.channelsNotJoined();
    checks.channels =
      missing.length > 0
        ? {
            ok: false,
            detail: `not_in_channel: cards for ${missing.join(', ')} were dropped; invite the bot: /invite @upstream-sync in ${missing.map((c) => `<#${c}>`).join(', ')}`,
          }
        : { ok: true, detail: 'every card reached its channel' };
    return { ok: Object.values(checks).every((c) => c.ok), checks };
  }
}
