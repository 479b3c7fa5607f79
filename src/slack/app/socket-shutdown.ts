// Makes the Socket Mode client's own Web API calls end with stop(). The client reconnects through
// apps.connections.open with a retry loop of its own (thousands of retries, up to 30 s apart,
// so an outage is outlasted) that nothing in @slack/socket-mode cancels: after disconnect() it
// would go on calling Slack and, once Slack answers, open a socket for a bot that has stopped.
// Once halted, the client's fetch fails at once (an in-flight request is aborted) and the retry
// loop gives up at that failure; its timers never hold the process open.

export interface RetryConfig {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
}

export interface SocketShutdown {
  /** For the socket client's WebClient (`clientOptions.fetch`). */
  fetch: typeof fetch;
  /** The reconnect retry policy, ended by halt(). */
  retryConfig(policy: RetryConfig): RetryConfig & { unref: boolean; onFailedAttempt(err: Error): void };
  /** Every call from now on fails, the one in flight too; the retry loop stops. */
  halt(): void;
  readonly halted: boolean;
  /** Resolves when no start() of the client is in flight (after halt(): once the last one has given up). */
  idle(): Promise<void>;
  /** Wraps the client's start() so that in-flight attempts are known to idle(). */
  track<T>(attempt: Promise<T>): Promise<T>;
}

export function socketShutdown(): SocketShutdown {
  const controller = new AbortController();
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = (): void => {
    if (inFlight > 0) return;
    for (const w of waiters) w();
    waiters = [];
  };
  return {
    fetch: (input, init) => {
      if (controller.signal.aborted) return Promise.reject(controller.signal.reason as Error);
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      return fetch(input, { ...init, signal });
    },
    retryConfig: (policy) => ({
      ...policy,
      unref: true,
      onFailedAttempt: (err) => {
        // p-retry rejects with what this throws and stops: the client takes a request error as final.
        if (controller.signal.aborted) throw err;
      },
    }),
    halt: () => controller.abort(new Error('the Slack socket client is stopping')),
    get halted() {
      return controller.signal.aborted;
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    track: async (attempt) => {
      inFlight += 1;
      try {
        return await attempt;
      } finally {
        inFlight -= 1;
        settle();
      }
    },
  };
}
