// Bounded waits for shutdown and start: a close that never comes (a socket during an outage, a
// step stuck on the network) must not keep the process alive. The work itself is not cancelled;
// the caller moves on and says so.

export const TIMED_OUT = Symbol('timed out');

/** Resolves with the value, or with TIMED_OUT after `ms`; the timer never holds the process open. */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
