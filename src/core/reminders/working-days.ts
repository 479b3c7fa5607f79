// Reminders count working days (Monday to Friday, UTC): a PR that became ready on Friday evening
// is not "two days late" on Sunday.

const DAY_MS = 24 * 3600 * 1000;

export function isWorkingDay(d: Date): boolean {
  const day = d.getUTCDay();
  return day !== 0 && day !== 6;
}

/** `since` plus `days` working days (fractions allowed), skipping weekends. */
export function addWorkingDays(since: Date, days: number): Date {
  let t = since.getTime();
  let left = days * DAY_MS;
  // Time on a weekend does not count: move to the next Monday 00:00 UTC first.
  while (!isWorkingDay(new Date(t))) t = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
  while (left > 0) {
    const endOfDay = Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
    const step = Math.min(left, endOfDay - t);
    t += step;
    left -= step;
    if (left > 0) while (!isWorkingDay(new Date(t))) t += DAY_MS;
  }
  return new Date(t);
}

export interface ReminderInput {
  /** When the sync entered the stage that waits for a person. */
  since: Date;
  now: Date;
  afterWorkingDays: number;
}

/** Whether the wait is long enough for a reminder (the once-a-day limit is the caller's key). */
export function reminderDue(input: ReminderInput): boolean {
  return input.now.getTime() >= addWorkingDays(input.since, input.afterWorkingDays).getTime();
}

/** The calendar day (UTC) a reminder belongs to: at most one per sync, stage and day. */
export function reminderDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
