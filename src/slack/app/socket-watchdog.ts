import type { Logger } from 'pino';
import type { SocketShutdown } from './socket-shutdown.js';

// Two gaps in @slack/socket-mode's reconnects, both met in a Slack outage:
// - each failed reconnect attempt's start() rejects and nobody catches it: an unhandled
//   rejection, which kills a Node process on the default settings;
// - when apps.connections.open fails with an HTTP or network error during a reconnect, the
//   client gives up for good (no retry, no event): the bot would stay disconnected.
// The watchdog makes reconnect attempts settle (failures logged), notices a socket that has been
// down with no news for `stallMs`, and starts it again.

export interface WatchedClient {
  on(event: string, listener: () => void): unknown;
  start(): Promise<unknown>;
}

/**
 * After the first connection, the client's own reconnect calls (`this.start` read from the
 * instance) no longer reject: a failure is logged and the watchdog takes it from there.
 */
export function settleReconnects(
  client: WatchedClient,
  log: Logger,
  shutdown?: Pick<SocketShutdown, 'halted' | 'track'>,
): { connected(): void } {
  const original = client.start.bind(client);
  let initial = true;
  client.start = async () => {
    // Stopped: a reconnect timer that fires now must not open a socket again.
    if (shutdown?.halted) return undefined;
    try {
      return await (shutdown ? shutdown.track(original()) : original());
    } catch (err) {
      if (initial) throw err;
      if (shutdown?.halted) log.debug({ err: err ?? null }, 'Slack socket reconnect ended by stop');
      else log.warn({ err: err ?? null }, 'Slack socket reconnect attempt failed');
      return undefined;
    }
  };
  return { connected: () => void (initial = false) };
}

export class SocketWatchdog {
  private connected = false;
  private lastNews = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private restarting = false;

  constructor(
    private readonly client: WatchedClient,
    private readonly log: Logger,
    private readonly stallMs: number,
  ) {
    const news = (connected: boolean) => (): void => {
      this.connected = connected;
      this.lastNews = Date.now();
    };
    client.on('connected', news(true));
    for (const e of ['connecting', 'reconnecting', 'disconnected', 'authenticated']) client.on(e, news(false));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), Math.max(50, Math.floor(this.stallMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    if (this.connected || this.restarting || Date.now() - this.lastNews < this.stallMs) return;
    this.restarting = true;
    this.lastNews = Date.now();
    this.log.warn({ stalledMs: this.stallMs }, 'Slack socket stopped reconnecting; starting it again');
    this.client
      .start()
      .catch((err: unknown) => this.log.warn({ err: err ?? null }, 'Slack socket restart failed; will try again'))
      .finally(() => {
        this.restarting = false;
        this.lastNews = Date.now();
      });
  }
}
