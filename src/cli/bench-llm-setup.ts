import { createAnthropicLlm } from '../adapters/llm/anthropic-llm.js';
import type { LlmConfig } from '../config/schema.js';
import { isAppError } from '../errors.js';
import { landedResolutions } from '../core/resolve/learn.js';
import type { CalibrationPoint } from '../core/resolve/llm-cassette.js';
import { acceptableKey } from '../core/resolve/resolve-file.js';
import type { HunkOutcome, Segment } from '../core/resolve/types.js';
import type { Answer } from '../core/resolve/bench-metrics.js';
import { LlmCassette } from './bench-llm.js';
import { EXIT_USAGE, type CliIo } from './shared.js';

// The cassette `bench conflicts` talks to: recording (a real model, the key from the environment)
// or replaying (a file, nothing else). Neither: no LLM layer in the bench.

export async function cassetteFor(
  opts: { llmRecord?: string; llmReplay?: string },
  settings: LlmConfig,
  io: CliIo,
): Promise<LlmCassette | null | number> {
  if (opts.llmRecord && opts.llmReplay) {
    io.stderr('error: --llm-record and --llm-replay cannot be used together');
    return EXIT_USAGE;
  }
  try {
    if (opts.llmReplay) return await LlmCassette.replay(opts.llmReplay);
    if (opts.llmRecord) {
      const live = createAnthropicLlm(settings, {
        ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY,
        ANTHROPIC_BASE_URL: process.env.ANTHROPIC_BASE_URL,
      });
      return LlmCassette.record(opts.llmRecord, live);
    }
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr(`error: ${opts.llmRecord ? '--llm-record' : '--llm-replay'}: ${err.message}`);
    return EXIT_USAGE;
  }
  return null;
}

/** Each LLM answer (whatever its confidence) against the truth's text for its hunk. */
export function llmPoints(
  segments: readonly Segment[],
  answers: readonly HunkOutcome[],
  truth: Answer | null,
): CalibrationPoint[] {
  const aligned = truth && !truth.deleted ? landedResolutions(segments, truth.text) : null;
  return answers.map((a) => ({
    confidence: a.confidence,
    right: aligned ? acceptableKey(a.text ?? '') === acceptableKey(aligned[a.hunk] ?? '') : null,
  }));
}
