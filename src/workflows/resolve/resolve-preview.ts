import { count } from '../../core/wording.js';
import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { Actor } from '../../ports.js';
import { requestBytes } from '../../core/resolve/llm-request.js';
import { llmRequestFor } from './llm-request-for.js';
import { runGate } from './resolve-gate.js';
import { fetchPull, type ResolveDeps } from './resolve.js';
import { llmCandidates } from './resolve-llm.js';
import { historyFor } from './git-upstream-history.js';
import { planFiles, recordsOf } from './resolve-plan.js';
import { waitingHunks } from './resolve-report.js';
import type { HunkRecord, WaitingHunk } from '../../ports.js';

// `resolve --dry-run`: what the resolver would decide now, without asking the LLM, writing the
// decision log, commenting or pushing. The LLM requests are built and weighed, never sent.

export interface ResolvePreview {
  outcome: 'refused' | 'clean' | 'planned';
  message: string;
  headSha: string | null;
  records: HunkRecord[];
  waiting: WaitingHunk[];
  llm: Array<{ path: string; hunks: number; requestBytes: number }>;
  /** Why the run would not ask the LLM about files it could have; null when it would (or none are left). */
  llmSkipped: string | null;
}

export async function previewResolution(
  deps: ResolveDeps,
  p: ReleaseSyncConfig,
  pr: number,
  actor: Actor,
): Promise<ResolvePreview> {
  const none = { headSha: null, records: [], waiting: [], llm: [], llmSkipped: null };
  const gate = await runGate(deps, p, pr, actor);
  if (!gate.ok) return { ...none, outcome: 'refused', message: `refused: ${gate.reason}` };
  const heads = await fetchPull(deps, p, gate.pr.headRef);
  const merged = await deps.git.mergeTree(p.fork.repo, heads.head, heads.production);
  if (merged.clean)
    return { ...none, headSha: heads.head, outcome: 'clean', message: `PR #${pr} merges cleanly: nothing to resolve` };
  const files = await planFiles(deps.git, deps.resolver, deps.resolver, {
    pipeline: p,
    cache: p.fork.repo,
    head: heads.head,
    production: heads.production,
    mergeBase: heads.mergeBase,
    conflicts: merged.conflicts,
    repo: p.fork.repo,
    pr,
    history: historyFor(deps.git, p.fork.repo, heads),
  });
  const settings = p.resolution.llm ?? deps.config.llm;
  const candidates = llmCandidates(files);
  // The same three checks, in the same order, as the run's LLM layer: the preview predicts it exactly.
  const used = deps.resolver.attempts(p.fork.repo, pr, heads.head);
  const notAsked = !settings.enabled
    ? 'llm.enabled is false'
    : !deps.llm
      ? 'ANTHROPIC_API_KEY is not set'
      : used >= p.resolution.maxAttempts
        ? `${count(used, 'resolver attempt')} on this head already (limit ${p.resolution.maxAttempts})`
        : null;
  const llm = notAsked
    ? []
    : candidates.map((f) => {
        const pending = f.resolution.outcomes.filter((o) => o.layer === null && o.by === null).map((o) => o.hunk);
        const request = llmRequestFor(settings, f, pending);
        return { path: f.path, hunks: pending.length, requestBytes: requestBytes(request) };
      });
  const records = recordsOf(files);
  const waiting = waitingHunks(files, gate.pr.htmlUrl);
  return {
    outcome: 'planned',
    headSha: heads.head,
    records,
    waiting,
    llm,
    llmSkipped: notAsked && candidates.length ? notAsked : null,
    message: previewMessage(pr, records.length - waiting.length, records.length, candidates.length, notAsked),
  };
}

/** "…; 2 files would go to the LLM", or to people, and why, when the run would not ask the LLM. */
export function previewMessage(
  pr: number,
  decided: number,
  total: number,
  undecidedFiles: number,
  notAsked: string | null = null,
): string {
  const head = `PR #${pr}: ${decided} of ${count(total, 'hunk')} decided without the LLM`;
  if (!undecidedFiles) return `${head}; nothing left for the LLM or people`;
  const files = count(undecidedFiles, 'file');
  return notAsked
    ? `${head}; ${files} would go to people, not the LLM (${notAsked})`
    : `${head}; ${files} would go to the LLM`;
}
