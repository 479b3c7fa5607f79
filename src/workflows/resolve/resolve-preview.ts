import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { Actor } from '../../ports.js';
import { buildResolveRequest, requestBytes } from '../../core/resolve/llm-request.js';
import { runGate } from './resolve-gate.js';
import { fetchPull, type ResolveDeps } from './resolve.js';
import { llmCandidates } from './resolve-llm.js';
import { historyFor } from './git-upstream-history.js';
import { planFiles, recordsOf } from './resolve-plan.js';
import { waitingHunks } from './resolve-report.js';
import type { HunkRecord, WaitingHunk } from '../../ports.js';
import { plural } from '../../core/plural.js';

// `resolve --dry-run`: what the resolver would decide now, without asking the LLM, writing the
// decision log, commenting or pushing. The LLM requests are built and weighed, never sent.

export interface ResolvePreview {
  outcome: 'refused' | 'clean' | 'planned';
  message: string;
  headSha: string | null;
  records: HunkRecord[];
  waiting: WaitingHunk[];
  llm: Array<{ path: string; hunks: number; requestBytes: number }>;
}

export async function previewResolution(
  deps: ResolveDeps,
  p: ReleaseSyncConfig,
  pr: number,
  actor: Actor,
): Promise<ResolvePreview> {
  const none = { headSha: null, records: [], waiting: [], llm: [] };
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
  const llm = settings.enabled
    ? llmCandidates(files).map((f) => {
        const pending = f.resolution.outcomes.filter((o) => o.layer === null && o.by === null).map((o) => o.hunk);
        const request = buildResolveRequest({
          path: f.path,
          segments: f.resolution.segments,
          pending,
          outlineSource: f.versions?.upstream ?? '',
          contextLines: settings.contextLines,
          model: settings.model,
          maxTokens: settings.maxOutputTokens,
          timeoutMs: settings.timeoutMs,
        });
        return { path: f.path, hunks: pending.length, requestBytes: requestBytes(request) };
      })
    : [];
  const records = recordsOf(files);
  const waiting = waitingHunks(files, gate.pr.htmlUrl);
  return {
    outcome: 'planned',
    headSha: heads.head,
    records,
    waiting,
    llm,
    message: `PR #${pr}: ${records.length - waiting.length} of ${records.length} hunks decided without the LLM; ${plural(llm.length, 'file')} would go to the LLM`,
  };
}
