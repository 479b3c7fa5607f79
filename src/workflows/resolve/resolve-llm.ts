import type { LlmConfig } from '../../config/schema.js';
import { errorMessage, isTransient } from '../../errors.js';
import type { LlmPort } from '../../ports.js';
import { checkAnswer, fileStillParses } from '../../core/resolve/llm-answer.js';
import { llmRequestFor } from './llm-request-for.js';
import type { HunkOutcome } from '../../core/resolve/types.js';
import type { PlannedFile } from './resolve-plan.js';

// The LLM layer: one request per file with the hunks the deterministic layers left, answers
// validated before use. Rate limits, overloads, timeouts and outages are retried by the adapter;
// when it gives up, the hunks go to a person and the job carries on: never a failed job.

export interface LlmFileResult {
  path: string;
  accepted: HunkOutcome[];
  refused: Array<{ hunk: number; reason: string }>;
  /** Set when no answer could be had (after the adapter's retries). */
  unavailable: string | null;
}

/** Largest waiting text (both sides) the model is asked to rewrite in one answer. */
const MAX_ANSWER_BYTES = 48_000;

export function llmCandidates(files: readonly PlannedFile[]): PlannedFile[] {
  return files.filter(
    (f) =>
      f.versions !== null &&
      !f.resolution.deletedBy &&
      f.resolution.rule?.rule.take !== 'manual' &&
      f.resolution.outcomes.some((o) => o.layer === null && o.by === null),
  );
}

export async function askLlm(
  llm: LlmPort,
  settings: LlmConfig,
  file: PlannedFile,
  signal?: AbortSignal,
): Promise<LlmFileResult> {
  const pending = file.resolution.outcomes.filter((o) => o.layer === null && o.by === null).map((o) => o.hunk);
  const hunks = file.resolution.segments.flatMap((s) =>
    s.kind === 'conflict' && pending.includes(s.hunk.index) ? [s.hunk] : [],
  );
  const size = hunks.reduce((n, h) => n + Buffer.byteLength([...h.upstream, ...h.fork].join('')), 0);
  if (size > MAX_ANSWER_BYTES) {
    return {
      path: file.path,
      accepted: [],
      refused: pending.map((hunk) => ({ hunk, reason: `too large for one answer (${size} bytes)` })),
      unavailable: null,
    };
  }
  const request = llmRequestFor(settings, file, pending);
  let input: unknown;
  try {
    input = (await llm.callTool(request, signal)).input;
  } catch (err) {
    const why = isTransient(err)
      ? `the LLM was unavailable (${errorMessage(err)})`
      : `the LLM call failed (${errorMessage(err)})`;
    return { path: file.path, accepted: [], refused: [], unavailable: why };
  }
  const checked = checkAnswer(input, {
    segments: file.resolution.segments,
    versions: file.versions!,
    pending,
    threshold: settings.confidenceThreshold,
    model: settings.model,
  });
  const decided = file.resolution.outcomes.filter((o) => o.layer !== null);
  if (
    checked.accepted.length &&
    !fileStillParses(file.versions!, file.resolution.segments, [...decided, ...checked.accepted])
  ) {
    return {
      path: file.path,
      accepted: [],
      refused: pending.map((hunk) => ({ hunk, reason: 'with the answers in place the file no longer parses' })),
      unavailable: null,
    };
  }
  return { path: file.path, accepted: checked.accepted, refused: checked.rejected, unavailable: null };
}
