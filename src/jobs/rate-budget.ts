import type { Clock } from '../ports.js';
import type { RuntimeFacts } from '../ports/runtime-facts.js';

// GitHub's primary rate limit as its answers report it (x-ratelimit-*), per credential: a token,
// or a GitHub App's installation. Every answer but a 304 is charged, so the budget also counts
// the charged requests this process made; the scheduler reads both to judge whether a round fits.
// The latest figures are kept in SQLite (at most every few seconds) for `status` in other processes.

export interface BudgetAnswer {
  status: number | null;
  rateRemaining: number | null;
  rateLimit?: number | null;
  rateReset?: number | null;
}

export interface BudgetSnapshot {
  credential: string;
  limit: number | null;
  remaining: number | null;
  /** When the window resets (ISO), as GitHub said. */
  resetAt: string | null;
  /** When GitHub last reported it (ISO): how old the figure is. */
  observedAt: string;
}

export const BUDGET_FACT = 'github-budget';
const SAVE_EVERY_MS = 5_000;

export class RateBudget {
  private current: BudgetSnapshot | null = null;
  private savedAt = 0;
  /** Charged requests (every answer but a 304 or no answer) since this process started. */
  charged = 0;

  constructor(
    private readonly clock: Clock,
    readonly credential: string,
    private readonly facts?: RuntimeFacts,
  ) {}

  observe(answer: BudgetAnswer): void {
    if (answer.status !== null && answer.status !== 304) this.charged += 1;
    if (answer.rateRemaining === null || !Number.isFinite(answer.rateRemaining)) return;
    const now = this.clock.now();
    this.current = {
      credential: this.credential,
      limit: answer.rateLimit ?? this.current?.limit ?? null,
      remaining: answer.rateRemaining,
      resetAt: answer.rateReset ? new Date(answer.rateReset * 1000).toISOString() : (this.current?.resetAt ?? null),
      observedAt: now.toISOString(),
    };
    if (this.facts && now.getTime() - this.savedAt >= SAVE_EVERY_MS) {
      this.savedAt = now.getTime();
      this.facts.set(BUDGET_FACT, this.current);
    }
  }

  snapshot(): BudgetSnapshot | null {
    return this.current;
  }
}
