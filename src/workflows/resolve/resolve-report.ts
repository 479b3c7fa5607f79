import type { ConflictFileOutcome, GitHubPort, SyncConflictCounts, WaitingHunk } from '../../ports.js';
import { DECISION_LOG_MARKER } from '../../core/resolve/decision-log.js';
import { waitingHunkId } from '../../core/resolve/hunk-id.js';
import type { PlannedFile } from './resolve-plan.js';

// What the resolver tells people: the waiting hunks (for the PR comment and the Slack thread's
// "take upstream / take fork" buttons), per-file outcomes and counts for the card, and one PR
// comment that is updated in place rather than repeated at every run.

const MAX_SIDE = 3000;

export function waitingHunks(files: readonly PlannedFile[], prUrl: string | null): WaitingHunk[] {
  const out: WaitingHunk[] = [];
  for (const f of files) {
    const of = f.resolution.outcomes.length;
    for (const o of f.resolution.outcomes) {
      if (o.layer !== null) continue;
      const seg = f.resolution.segments.find((s) => s.kind === 'conflict' && s.hunk.index === o.hunk);
      const hunk = seg?.kind === 'conflict' ? seg.hunk : null;
      const side = (which: 'upstream' | 'fork') => {
        if (f.versions === null) return `(${f.kind}: the ${which} version of the whole file)`;
        if (f.resolution.deletedBy === which) return '(file deleted)';
        const text = f.resolution.deletedBy ? (f.versions[which] ?? '') : (hunk?.[which].join('') ?? '');
        return text.length > MAX_SIDE
          ? `${text.slice(0, MAX_SIDE)}\n… (${text.length - MAX_SIDE} more characters)`
          : text;
      };
      out.push({
        id: waitingHunkId(f.path, o.hunk, f.keys[o.hunk] ?? ''),
        path: f.path,
        index: o.hunk + 1,
        of,
        upstream: side('upstream'),
        fork: side('fork'),
        url: prUrl ? `${prUrl}/files` : null,
      });
    }
  }
  return out;
}

export function fileOutcomes(files: readonly PlannedFile[]): ConflictFileOutcome[] {
  return files.map((f) => {
    const layers = new Set(f.resolution.outcomes.map((o) => o.layer));
    const waiting = layers.has(null);
    const rule = f.resolution.rule;
    const whole = rule && (rule.rule.take === 'upstream' || rule.rule.take === 'fork') ? rule.rule.take : null;
    const order = ['person', 'llm', 'memory', 'structure', 'rule'] as const;
    const by = waiting ? null : (order.find((l) => layers.has(l)) ?? null);
    return {
      path: f.path,
      kind: f.kind,
      decision: waiting ? 'waiting' : (whole ?? 'merged'),
      by,
      reason: waiting ? 'hunks wait for a person' : (f.resolution.outcomes[0]?.rationale ?? null),
    };
  });
}

/** Files by the layer that decided them (the one that made a choice when several did), as the card shows them. */
export function conflictCounts(files: readonly PlannedFile[]): SyncConflictCounts {
  const c: SyncConflictCounts = {
    files: files.length,
    byRule: 0,
    byStructure: 0,
    byMemory: 0,
    byLlm: 0,
    byPerson: 0,
    waiting: 0,
  };
  const field = {
    rule: 'byRule',
    structure: 'byStructure',
    memory: 'byMemory',
    llm: 'byLlm',
    person: 'byPerson',
  } as const;
  for (const f of fileOutcomes(files)) {
    if (f.decision === 'waiting' || !f.by) c.waiting++;
    else c[field[f.by]]++;
  }
  return c;
}

/** Creates the resolver's comment on the PR, or updates the one it wrote before. */
export async function upsertComment(
  github: GitHubPort,
  repo: string,
  pr: number,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const mine = (await github.listComments(repo, pr)).filter((c) => c.body.startsWith(DECISION_LOG_MARKER)).at(-1);
  if (mine) {
    if (mine.body !== body) await github.updateComment(repo, mine.id, body);
    return { id: mine.id, created: false };
  }
  const made = await github.createComment(repo, pr, body);
  return { id: made.id, created: true };
}
