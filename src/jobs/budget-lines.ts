import type { RuntimeFacts } from '../ports/runtime-facts.js';
import { BUDGET_FACT, type BudgetSnapshot } from './rate-budget.js';
import { ROUND_FACT, type RoundRecord } from './schedule-rounds.js';

// The budget as people read it in `status` and App Home: what GitHub last said is left (and
// when it said so), how long the last full round of scheduled checks took, and any reason the
// rounds do not fit. Read from runtime_facts, so every process gives the same answer.

function ago(iso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function budgetLines(budget: BudgetSnapshot | null, round: RoundRecord | null, now: Date): string[] {
  const lines: string[] = [];
  if (budget && budget.remaining !== null) {
    const of = budget.limit !== null ? ` of ${budget.limit}` : '';
    const reset = budget.resetAt ? `, resets ${budget.resetAt.slice(11, 16)} UTC` : '';
    lines.push(
      `GitHub budget (${budget.credential}): ${budget.remaining}${of} requests left${reset} (as of ${ago(budget.observedAt, now)})`,
    );
  }
  if (round) {
    lines.push(
      `last full round: ${round.pipelines} scheduled checks in ${Math.round(round.seconds)} s, ${round.requests} counted requests (ended ${ago(round.finishedAt, now)})`,
    );
    for (const problem of round.problems) lines.push(`round does not fit: ${problem}`);
  }
  return lines;
}

export function budgetLinesFrom(facts: RuntimeFacts, now: Date): string[] {
  return budgetLines(
    facts.get<BudgetSnapshot>(BUDGET_FACT)?.value ?? null,
    facts.get<RoundRecord>(ROUND_FACT)?.value ?? null,
    now,
  );
}
