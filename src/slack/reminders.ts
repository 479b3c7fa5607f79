import type { Logger } from 'pino';
import type { Config, ReleaseSyncConfig } from '../config/schema.js';
import { pipelinesOfKind } from '../config/require-pipeline.js';
import { isWorkingDay, reminderDay, reminderDue } from '../core/reminders/working-days.js';
import type { Clock, SyncNotifier, SyncSnapshot } from '../ports.js';

// `slack.reminders`: a sync PR waiting for a person (needs-person, ready) longer than
// `afterWorkingDays` gets one reminder in its thread, mentioning who may act. The outbox key
// carries the day, so a pass every few minutes (or a restart) posts at most one a day.

export const WAITING_STAGES = ['needs-person', 'ready'] as const;

export interface ReminderDeps {
  config: Config;
  cards: { recent(pipeline: string, limit?: number): SyncSnapshot[] };
  notifier: Pick<SyncNotifier, 'syncDetail'>;
  clock: Clock;
  log: Logger;
}

function peopleFor(config: Config, p: ReleaseSyncConfig, stage: SyncSnapshot['stage']): string[] {
  const action = stage === 'ready' ? 'approve' : 'resolve';
  const list = p.access?.[action] ?? config.access[action] ?? [];
  // GitHub logins cannot be mentioned in Slack.
  return list.filter((id) => /^[UWS][A-Z0-9]{2,}$/.test(id));
}

/** One pass: returns the reminders it asked for (pipeline, tag, stage). */
export async function remindWaiting(
  deps: ReminderDeps,
): Promise<Array<{ pipeline: string; tag: string; stage: string }>> {
  const settings = deps.config.slack.reminders;
  if (!settings.enabled) return [];
  const now = deps.clock.now();
  // Nobody is reminded on a weekend; Monday's reminder says how long it has been.
  if (!isWorkingDay(now)) return [];
  const sent: Array<{ pipeline: string; tag: string; stage: string }> = [];
  for (const p of pipelinesOfKind(deps.config, 'release-sync')) {
    if (!p.slack || p.slack.silent) continue;
    for (const s of deps.cards.recent(p.id, 20)) {
      if (!(WAITING_STAGES as readonly string[]).includes(s.stage) || s.silent) continue;
      const since = s.stageSince ?? s.updatedAt;
      if (!reminderDue({ since: new Date(since), now, afterWorkingDays: settings.afterWorkingDays })) continue;
      try {
        await deps.notifier.syncDetail(
          { pipeline: p.id, tag: s.tag },
          {
            kind: 'reminder',
            stage: s.stage,
            since,
            pr: s.pr ? { number: s.pr.number, url: s.pr.url } : null,
            people: peopleFor(deps.config, p, s.stage),
          },
          { key: `reminder:${s.stage}:${since}:${reminderDay(now)}` },
        );
        sent.push({ pipeline: p.id, tag: s.tag, stage: s.stage });
      } catch (err) {
        deps.log.warn({ err, pipeline: p.id, tag: s.tag }, 'reminder not queued');
      }
    }
  }
  return sent;
}

/** Runs `remindWaiting` every `intervalMs` until stopped. */
export function startReminders(deps: ReminderDeps, intervalMs = 15 * 60_000): () => void {
  const timer = setInterval(() => void remindWaiting(deps), intervalMs);
  timer.unref();
  void remindWaiting(deps);
  return () => clearInterval(timer);
}
