import type { LlmToolRequest } from '../../ports.js';
import { parseConflictText } from './conflict-text.js';
import { hunkKey, shapeOf } from './hunk-key.js';
import { landedResolutions } from './learn.js';
import { buildResolveRequest, requestBytes } from './llm-request.js';
import type { CompiledRules } from './path-rules.js';
import { resolveFile, type FileResolution, type RememberedHunk } from './resolve-file.js';
import type { ParentOrder } from './sides.js';
import type { ConflictLabels } from './conflict-text.js';
import type { PathHistory } from './history/upstream-history.js';
import type { LayerSwitches } from './layers.js';
import type { HunkOutcome, Segment } from './types.js';

// One case of a conflict corpus through the deterministic layers, the way the bot meets the same
// merge. The caller has already oriented the case (corpus-format.ts): the texts arrive named
// upstream and fork, and `order` says which of them git's markers put first.

export interface CorpusTexts {
  base: string | null;
  upstream: string | null;
  fork: string | null;
  conflicted: string | null;
}

export interface CorpusCaseInput {
  id: string;
  path: string;
  texts: CorpusTexts;
  labels: ConflictLabels;
  order: ParentOrder;
  rules: CompiledRules | null;
  memory: ReadonlyMap<string, RememberedHunk> | null;
  history?: PathHistory | null;
  layers?: LayerSwitches;
  /** Answers already given (the LLM's, replayed), kept as decided. */
  decided?: readonly HunkOutcome[];
  /** Build (never send) the LLM request for what the deterministic layers leave. */
  llm?: { contextLines: number; model: string; maxTokens: number; timeoutMs: number };
}

export interface CorpusCaseResult {
  id: string;
  resolution: FileResolution;
  /** The resolved content; null = delete the file; undefined = not every hunk was decided. */
  output: string | null | undefined;
  /**
   * fileBytes: the three whole versions (base, upstream, fork) an agent reading the files would
   * see; conflictedBytes: the single conflicted file with markers, the smallest whole-file prompt.
   */
  llm?: { request: LlmToolRequest; requestBytes: number; fileBytes: number; conflictedBytes: number };
}

export function resolveCorpusCase(input: CorpusCaseInput): CorpusCaseResult {
  const t = input.texts;
  const versions = { path: input.path, base: t.base, upstream: t.upstream, fork: t.fork };
  const segments =
    t.conflicted !== null && t.upstream !== null && t.fork !== null
      ? parseConflictText(t.conflicted, input.labels, input.order)
      : null;
  const resolution = resolveFile({
    versions,
    segments,
    rules: input.rules,
    memory: input.memory ?? undefined,
    history: input.history,
    layers: input.layers,
    decided: input.decided,
  });
  const result: CorpusCaseResult = { id: input.id, resolution, output: resolution.result?.content };
  const pending = resolution.outcomes.filter((o) => o.layer === null).map((o) => o.hunk);
  if (input.llm && pending.length > 0 && !resolution.deletedBy) {
    const request = buildResolveRequest({
      path: input.path,
      segments: resolution.segments,
      pending,
      outlineSource: versions.upstream ?? '',
      ...input.llm,
    });
    const fileBytes = [t.base, t.upstream, t.fork].reduce((n, x) => n + Buffer.byteLength(x ?? ''), 0);
    const conflictedBytes = Buffer.byteLength(t.conflicted ?? '');
    result.llm = { request, requestBytes: requestBytes(request), fileBytes, conflictedBytes };
  }
  return result;
}

export interface HunkAgreement {
  /** The strategy name, or 'memory'. */
  by: string;
  agreed: boolean;
}

/**
 * For the bench only: whether each hunk the deterministic layers decided got the text people
 * landed for it. Empty when the landed file does not line up with the hunks (people changed clean
 * text too), so a strategy is never blamed for edits outside its hunk.
 */
export function agreementWithLanded(resolution: FileResolution, landed: string): HunkAgreement[] {
  const texts = resolution.deletedBy ? null : landedResolutions(resolution.segments, landed);
  if (!texts) return [];
  return resolution.outcomes.flatMap((o) => {
    if ((o.layer !== 'structure' && o.layer !== 'memory') || o.text === undefined) return [];
    return [{ by: o.layer === 'memory' ? 'memory' : (o.by ?? 'structure'), agreed: o.text === texts[o.hunk] }];
  });
}

/**
 * Remembers what landed for each hunk of a case, as the bot does when a sync PR merges. Returns
 * how many hunks were learned (none when the landed file cannot be lined up with the hunks).
 */
export function learnLanded(
  segments: readonly Segment[],
  landed: string,
  memory: Map<string, RememberedHunk>,
  source: string,
): number {
  const texts = landedResolutions(segments, landed);
  if (!texts) return 0;
  let n = 0;
  for (const s of segments) {
    if (s.kind !== 'conflict') continue;
    const text = texts[n++] as string;
    memory.set(hunkKey(s.hunk), { shape: shapeOf(s.hunk, text), text, source });
  }
  return n;
}
