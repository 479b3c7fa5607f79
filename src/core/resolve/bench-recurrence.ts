import { hunkKey } from './hunk-key.js';
import { hunksOf } from './merge3.js';
import type { HunkCredit } from './bench-metrics.js';
import type { Segment } from './types.js';

// Memory pays only where the same conflict comes back. The bench counts, in corpus order, how many
// hunks meet a key seen in an earlier case, and in an earlier merge (another sync), and what the
// memory layer decided there. Held-out copies start with empty memory: the other layers stand alone.

export interface Recurrence {
  hunks: number;
  /** Hunks whose key an earlier case had. */
  recurring: number;
  /** …from another merge than this case's. */
  acrossMerges: number;
  /** Keys seen more than once. */
  keysRecurring: number;
  memory: { decided: number; right: number; wrong: number };
}

export class RecurrenceTally {
  private readonly seen = new Map<string, { count: number; merges: Set<string> }>();
  private readonly r: Recurrence = {
    hunks: 0,
    recurring: 0,
    acrossMerges: 0,
    keysRecurring: 0,
    memory: { decided: 0, right: 0, wrong: 0 },
  };

  /** One case, in the order the bench ran it. */
  add(segments: readonly Segment[], merge: string | null): void {
    for (const h of hunksOf(segments)) {
      const key = hunkKey(h);
      const s = this.seen.get(key) ?? { count: 0, merges: new Set<string>() };
      this.r.hunks++;
      if (s.count > 0) {
        this.r.recurring++;
        if (s.count === 1) this.r.keysRecurring++;
        if ([...s.merges].some((m) => m !== merge)) this.r.acrossMerges++;
      }
      s.count++;
      s.merges.add(merge ?? '');
      this.seen.set(key, s);
    }
  }

  credit(credits: readonly HunkCredit[]): void {
    for (const c of credits) {
      if (c.strategy !== 'memory') continue;
      this.r.memory.decided++;
      if (c.right === true) this.r.memory.right++;
      if (c.right === false) this.r.memory.wrong++;
    }
  }

  get result(): Recurrence {
    return structuredClone(this.r);
  }
}

export function formatRecurrence(r: Recurrence): string {
  return `memory: ${r.recurring} of ${r.hunks} hunks recur (${r.acrossMerges} across merges, ${r.keysRecurring} keys); memory decided ${r.memory.decided} (right:wrong ${r.memory.right}:${r.memory.wrong})`;
}
