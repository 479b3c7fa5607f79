import { z } from 'zod';
import { MARKER_RE } from './conflict-text.js';
import { isBlank, lineBody, splitLines } from './lines.js';
import { dataFormatOf, parses } from './structured.js';
import type { FileVersions, Hunk, HunkOutcome, Segment } from './types.js';

// Nothing the model says is trusted. An answer is used only to fill the hunk it names, and only
// when it passes every check; anything else goes to a person, with the reason. A reply can never
// cause an action: there is nothing here to call but "put this text in that hunk".

const answerSchema = z.object({
  resolutions: z
    .array(
      z.object({
        hunk: z.number().int().nonnegative(),
        resolved: z.string(),
        rationale: z.string(),
        confidence: z.number().min(0).max(1),
      }),
    )
    .max(500),
});

export interface AnswerCheck {
  segments: readonly Segment[];
  versions: FileVersions;
  pending: readonly number[];
  threshold: number;
  model: string;
}

export interface CheckedAnswer {
  /** Accepted answers as outcomes (layer llm). */
  accepted: HunkOutcome[];
  /** Hunks that stay with a person, and why. */
  rejected: Array<{ hunk: number; reason: string }>;
}

function bracketBalance(text: string): number {
  let n = 0;
  for (const ch of text.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '')) {
    if (ch === '(' || ch === '[' || ch === '{') n++;
    else if (ch === ')' || ch === ']' || ch === '}') n--;
  }
  return n;
}

const significant = (lines: readonly string[]) => lines.filter((l) => !isBlank(l)).map((l) => lineBody(l).trim());

function startsWith(lines: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.every((l, i) => lines[i] === l);
}

/**
 * Whether `got` begins with the last lines of `context` (at least a few characters' worth) when
 * neither side does: the answer reaches into the text before the region.
 */
function overlaps(
  context: readonly string[],
  got: readonly string[],
  sides: ReadonlyArray<readonly string[]>,
): boolean {
  for (let k = Math.min(context.length, got.length); k >= 1; k--) {
    const tail = context.slice(-k);
    if (tail.join('').replace(/\s/g, '').length < 8) continue;
    if (startsWith(got, tail) && !sides.some((side) => startsWith(side, tail))) return true;
  }
  return false;
}

/** Why an answer for `h` cannot be used, or null when it can. */
export function problemWith(h: Hunk, text: string, before: readonly string[], after: readonly string[]): string | null {
  const known = [...h.upstream, ...h.base, ...h.fork].map((l) => lineBody(l));
  const lines = splitLines(text);
  const markers = lines.map(lineBody).filter((l) => MARKER_RE.test(l) && !known.includes(l));
  if (markers.length > 0) return 'the answer contains conflict markers';
  const budget = 2 * Buffer.byteLength([...h.upstream, ...h.base, ...h.fork].join('')) + 2048;
  if (Buffer.byteLength(text) > budget)
    return `the answer is larger than the hunk allows (${Buffer.byteLength(text)} > ${budget} bytes)`;
  if (text !== '' && !text.endsWith('\n') && [...h.upstream, ...h.fork].some((l) => l.endsWith('\n')))
    return 'the answer does not end with a newline';
  // Repeating the lines around the hunk would duplicate them: the edit must stay inside the region.
  const got = significant(lines);
  const sides = [significant(h.upstream), significant(h.fork)];
  if (overlaps(significant(before), got, sides))
    return 'the answer repeats the lines above the hunk (an edit outside the region)';
  const reversed = (xs: string[]) => [...xs].reverse();
  if (overlaps(reversed(significant(after)), reversed(got), sides.map(reversed)))
    return 'the answer repeats the lines below the hunk (an edit outside the region)';
  const up = bracketBalance(h.upstream.join(''));
  const fork = bracketBalance(h.fork.join(''));
  if (up === fork && bracketBalance(text) !== up) return 'the answer opens or closes brackets that neither side does';
  return null;
}

export function checkAnswer(input: unknown, check: AnswerCheck): CheckedAnswer {
  const pending = new Set(check.pending);
  const rejected: CheckedAnswer['rejected'] = [];
  const parsed = answerSchema.safeParse(input);
  if (!parsed.success)
    return {
      accepted: [],
      rejected: check.pending.map((hunk) => ({ hunk, reason: 'the reply did not match the resolve_hunks schema' })),
    };
  const counts = new Map<number, number>();
  for (const r of parsed.data.resolutions) counts.set(r.hunk, (counts.get(r.hunk) ?? 0) + 1);
  const where = new Map<number, number>();
  check.segments.forEach((s, i) => s.kind === 'conflict' && where.set(s.hunk.index, i));
  const accepted: HunkOutcome[] = [];
  for (const r of parsed.data.resolutions) {
    if (!pending.has(r.hunk)) continue; // an id we did not ask about is ignored, never applied
    if ((counts.get(r.hunk) ?? 0) > 1) {
      if (!rejected.some((x) => x.hunk === r.hunk))
        rejected.push({ hunk: r.hunk, reason: 'the reply answered this hunk more than once' });
      continue;
    }
    const at = where.get(r.hunk) as number;
    const seg = check.segments[at] as Extract<Segment, { kind: 'conflict' }>;
    const prev = check.segments[at - 1];
    const next = check.segments[at + 1];
    const problem = problemWith(
      seg.hunk,
      r.resolved,
      prev?.kind === 'clean' ? prev.lines : [],
      next?.kind === 'clean' ? next.lines : [],
    );
    if (problem) rejected.push({ hunk: r.hunk, reason: problem });
    else if (r.confidence < check.threshold)
      rejected.push({ hunk: r.hunk, reason: `confidence ${r.confidence.toFixed(2)} is below ${check.threshold}` });
    else
      accepted.push({
        hunk: r.hunk,
        layer: 'llm',
        by: check.model,
        rationale: r.rationale.slice(0, 400),
        confidence: r.confidence,
        text: r.resolved,
      });
  }
  for (const hunk of check.pending) {
    if (!accepted.some((a) => a.hunk === hunk) && !rejected.some((x) => x.hunk === hunk))
      rejected.push({ hunk, reason: 'the reply had no answer for this hunk' });
  }
  return { accepted, rejected };
}

/**
 * The whole-file check: with every accepted answer in place, a data file both sides could parse
 * must still parse. When it does not, no answer for this file is used.
 */
export function fileStillParses(
  versions: FileVersions,
  segments: readonly Segment[],
  outcomes: readonly HunkOutcome[],
): boolean {
  const format = dataFormatOf(versions.path);
  if (!format) return true;
  if (![versions.base ?? '', versions.upstream ?? '', versions.fork ?? ''].every((t) => parses(t, format))) return true;
  const text = new Map(outcomes.map((o) => [o.hunk, o.text]));
  if (segments.some((s) => s.kind === 'conflict' && text.get(s.hunk.index) === undefined)) return true;
  return parses(
    segments.map((s) => (s.kind === 'clean' ? s.lines.join('') : (text.get(s.hunk.index) as string))).join(''),
    format,
  );
}
