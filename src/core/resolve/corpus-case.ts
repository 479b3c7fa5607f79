import type { LlmToolRequest } from '../../ports.js';
import { parseConflictText } from './conflict-text.js';
import { hunkKey, shapeOf } from './hunk-key.js';
import { landedResolutions } from './learn.js';
import { buildResolveRequest, requestBytes } from './llm-request.js';
import type { CompiledRules } from './path-rules.js';
import { resolveFile, type FileResolution, type RememberedHunk } from './resolve-file.js';
import { parentsToSides, SYNC_PARENT_ORDER } from './sides.js';
import type { Segment } from './types.js';

// One case of a conflict corpus (`CASE_ID/{base,ours,theirs,conflicted}`; ours is the first
// parent) through the deterministic layers, the way the bot meets the same merge: the first
// parent maps to a side exactly as in our own sync.

export const CORPUS_LABELS = { first: 'ours', base: 'base', second: 'theirs' } as const;

export interface CorpusTexts {
  base: string | null;
  ours: string | null;
  theirs: string | null;
  conflicted: string | null;
}

export interface CorpusCaseInput {
  id: string;
  path: string;
  texts: CorpusTexts;
  rules: CompiledRules | null;
  memory: ReadonlyMap<string, RememberedHunk> | null;
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
  const sides = parentsToSides(SYNC_PARENT_ORDER, { first: input.texts.ours, second: input.texts.theirs });
  const versions = { path: input.path, base: input.texts.base, upstream: sides.upstream, fork: sides.fork };
  const segments =
    input.texts.conflicted !== null && versions.upstream !== null && versions.fork !== null
      ? parseConflictText(input.texts.conflicted, CORPUS_LABELS, SYNC_PARENT_ORDER)
      : null;
  const resolution = resolveFile({ versions, segments, rules: input.rules, memory: input.memory ?? undefined });
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
    const fileBytes = [input.texts.base, input.texts.ours, input.texts.theirs].reduce(
      (n, t) => n + Buffer.byteLength(t ?? ''),
      0,
    );
    const conflictedBytes = Buffer.byteLength(input.texts.conflicted ?? '');
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
