import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { privateStore } from '../helpers/test-store.js';
import { type Store } from '../../src/adapters/store/open-store.js';
import { SqliteRuntimeFacts } from '../../src/adapters/store/runtime-facts-store.js';
import { budgetLinesFrom } from '../../src/jobs/budget-lines.js';
import { RateBudget } from '../../src/jobs/rate-budget.js';
import { ScheduleRounds } from '../../src/jobs/schedule-rounds.js';

// Rounds of scheduled checks with a moved clock and a budget fed the way GitHub's answers feed
// it; the facts land in SQLite, where `status` (another process) reads them back as lines.

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

function world(windowSeconds = 600) {
  let now = Date.parse('2026-12-04T12:00:00Z');
  const clock = { now: () => new Date(now) };
  store = privateStore({ clock });
  const facts = new SqliteRuntimeFacts(store.db, clock);
  const budget = new RateBudget(clock, 'token', facts);
  const logged: Array<{ msg: string; problems?: string[] }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const rounds = new ScheduleRounds({ pipelines: ['a', 'b', 'c'], windowSeconds, clock, budget, facts, log });
  const answer = (remaining: number, status = 200) =>
    budget.observe({ status, rateRemaining: remaining, rateLimit: 5000, rateReset: now / 1000 + 1800 });
  return { rounds, budget, facts, logged, answer, advance: (ms: number) => (now += ms), now: () => new Date(now) };
}

describe('scheduled rounds and the GitHub budget', () => {
  it('a round ends when every scheduled pipeline was checked, with its time and charged requests', () => {
    const w = world();
    w.rounds.started('a');
    w.rounds.started('b');
    w.answer(4999);
    w.answer(4999, 304);
    w.rounds.finished('a');
    w.advance(20_000);
    w.rounds.finished('b');
    expect(w.rounds.lastRound()).toBeNull();
    w.answer(4998);
    w.advance(10_000);
    w.rounds.finished('c');
    const round = w.rounds.lastRound()!;
    expect(round).toMatchObject({ pipelines: 3, seconds: 30, requests: 2, fits: true, problems: [] });
    const lines = budgetLinesFrom(w.facts, w.now());
    expect(lines[0]).toBe('GitHub budget (token): 4998 of 5000 requests left, resets 12:30 UTC (as of 10 s ago)');
    expect(lines[1]).toContain('last full round: 3 scheduled checks in 30 s, 2 counted requests');
    expect(w.logged.some((l) => l.msg === 'round done')).toBe(true);
  });

  it('a round that does not fit its window says so: logged, and in the status lines', () => {
    const w = world(60);
    w.rounds.started('a');
    w.answer(4000);
    w.advance(90_000);
    for (const p of ['a', 'b', 'c']) w.rounds.finished(p);
    expect(w.rounds.lastRound()!.fits).toBe(false);
    const warn = w.logged.find((l) => l.msg === 'scheduled round does not fit');
    expect(warn?.problems?.[0]).toContain('took 90 s, longer than the 60 s between scheduled checks');
    expect(budgetLinesFrom(w.facts, w.now()).at(-1)).toMatch(/^round does not fit: .*checks lag behind/);
  });

  it('a check that is not scheduled neither opens nor closes a round; no figures before GitHub answered', () => {
    const w = world();
    w.rounds.started('manual');
    w.rounds.finished('manual');
    expect(w.rounds.lastRound()).toBeNull();
    expect(budgetLinesFrom(w.facts, w.now())).toEqual([]);
  });
});
