// Time, passed in so tests and the runner can control it.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
