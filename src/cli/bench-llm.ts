import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';
import type { LlmPort, LlmToolRequest, LlmToolResult } from '../ports.js';
import type { LlmConfig } from '../config/schema.js';
import { cassetteKey } from '../core/resolve/llm-cassette.js';
import { checkAnswer, fileStillParses } from '../core/resolve/llm-answer.js';
import { llmRequestFor } from '../workflows/resolve/llm-request-for.js';
import type { FileResolution } from '../core/resolve/resolve-file.js';
import type { FileVersions, HunkOutcome } from '../core/resolve/types.js';

// `bench conflicts --llm-record FILE` (a real model, with a key) and `--llm-replay FILE` (no key,
// no network): one JSON line per answered request, `{key, model, input}`, keyed by cassetteKey.

interface Recorded {
  key: string;
  model: string;
  input: unknown;
}

export class LlmCassette implements LlmPort {
  /** Keys asked for in replay that the file has no answer for. */
  readonly missing: string[] = [];
  answered = 0;

  private constructor(
    private readonly file: string,
    private readonly answers: Map<string, Recorded>,
    private readonly live: LlmPort | null,
  ) {}

  static async replay(file: string): Promise<LlmCassette> {
    if (!existsSync(file)) throw new AppError('config_invalid', `--llm-replay: no such file ${file}`);
    const answers = new Map<string, Recorded>();
    for (const [i, line] of (await readFile(file, 'utf8')).split('\n').entries()) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as Recorded;
        if (typeof r.key !== 'string') throw new Error('no key');
        answers.set(r.key, r);
      } catch (err) {
        throw new AppError('config_invalid', `--llm-replay: ${file} line ${i + 1}: ${(err as Error).message}`);
      }
    }
    return new LlmCassette(file, answers, null);
  }

  static record(file: string, live: LlmPort): LlmCassette {
    return new LlmCassette(file, new Map(), live);
  }

  async callTool(request: LlmToolRequest): Promise<LlmToolResult> {
    const key = cassetteKey(request);
    if (this.live) {
      const result = await this.live.callTool(request);
      await appendFile(this.file, `${JSON.stringify({ key, model: result.model, input: result.input })}\n`);
      this.answered++;
      return result;
    }
    const hit = this.answers.get(key);
    if (!hit) {
      this.missing.push(key);
      throw new AppError('validation', `no recorded answer for request ${key}`);
    }
    this.answered++;
    return { input: hit.input, model: hit.model, stopReason: 'replayed', usage: { inputTokens: 0, outputTokens: 0 } };
  }
}

export interface LlmStep {
  /** Every answer that passed the checks, whatever its confidence: the calibration table's data. */
  answers: HunkOutcome[];
  /** Answers at or above the threshold, which decide hunks like a real run. */
  used: HunkOutcome[];
  error: string | null;
}

/** What the resolve job's LLM layer does for one file, through the cassette. */
export async function llmStep(
  llm: LlmPort,
  settings: LlmConfig,
  path: string,
  versions: FileVersions,
  resolution: FileResolution,
): Promise<LlmStep> {
  const pending = resolution.outcomes.filter((o) => o.layer === null).map((o) => o.hunk);
  const none: LlmStep = { answers: [], used: [], error: null };
  if (pending.length === 0 || resolution.deletedBy || resolution.rule?.rule.take === 'manual') return none;
  const request = llmRequestFor(settings, { path, resolution, versions }, pending);
  let input: unknown;
  try {
    input = (await llm.callTool(request)).input;
  } catch (err) {
    return { ...none, error: (err as Error).message };
  }
  const all = checkAnswer(input, {
    segments: resolution.segments,
    versions,
    pending,
    threshold: 0,
    model: settings.model,
  });
  const decided = resolution.outcomes.filter((o) => o.layer !== null);
  const used = all.accepted.filter((a) => a.confidence >= settings.confidenceThreshold);
  if (used.length && !fileStillParses(versions, resolution.segments, [...decided, ...used]))
    return { answers: all.accepted, used: [], error: null };
  return { answers: all.accepted, used, error: null };
}
