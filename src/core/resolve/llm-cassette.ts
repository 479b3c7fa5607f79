import { createHash } from 'node:crypto';
import type { LlmToolRequest } from '../../ports.js';

// The LLM layer, measurable offline: a request's key is the sha256 of what decides the answer
// (model, system prompt, prompt, tool schema), so recorded answers replay for exactly the same
// request and never for a changed one. Replayed answers are graded like every other layer, and
// stated confidence is set against how often the answer was acceptable.

export function cassetteKey(r: LlmToolRequest): string {
  const tool = { name: r.tool.name, description: r.tool.description, inputSchema: r.tool.inputSchema };
  return createHash('sha256')
    .update(JSON.stringify([r.model, r.system, r.prompt, tool]))
    .digest('hex');
}

export interface CalibrationPoint {
  confidence: number;
  /** null when the answer could not be lined up with the hunk's truth. */
  right: boolean | null;
}

export interface CalibrationRow {
  from: number;
  to: number;
  answers: number;
  right: number;
  wrong: number;
}

export interface Calibration {
  rows: CalibrationRow[];
  /**
   * The lowest stated confidence above which the answers were right at least `minPrecision` of
   * the time (over at least `minAnswers`): below it a hunk goes to a person. Null: no such level.
   */
  threshold: number | null;
}

const EDGES = [0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0001];

export function calibrate(points: readonly CalibrationPoint[], minPrecision = 0.95, minAnswers = 20): Calibration {
  const rows: CalibrationRow[] = EDGES.slice(0, -1).map((from, i) => ({
    from,
    to: Math.min(EDGES[i + 1] as number, 1),
    answers: 0,
    right: 0,
    wrong: 0,
  }));
  for (const p of points) {
    const row = rows.find((r, i) => p.confidence >= r.from && p.confidence < (EDGES[i + 1] as number));
    if (!row) continue;
    row.answers++;
    if (p.right === true) row.right++;
    if (p.right === false) row.wrong++;
  }
  let threshold: number | null = null;
  let right = 0;
  let wrong = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i] as CalibrationRow;
    if (r.right + r.wrong === 0) continue;
    right += r.right;
    wrong += r.wrong;
    if (right + wrong >= minAnswers && right / (right + wrong) >= minPrecision) threshold = r.from;
    else if (right + wrong >= minAnswers) break;
  }
  return { rows, threshold };
}

export function formatCalibration(c: Calibration): string[] {
  return [
    'LLM calibration (stated confidence: answers, right:wrong):',
    ...c.rows
      .filter((r) => r.answers > 0)
      .map((r) => `  ${r.from.toFixed(2)}–${r.to.toFixed(2)}  ${r.answers}  ${r.right}:${r.wrong}`),
    c.threshold === null
      ? '  no confidence level reaches 95% over 20 answers: every LLM answer should go to a person'
      : `  threshold: answers below ${c.threshold.toFixed(2)} go to a person`,
  ];
}
