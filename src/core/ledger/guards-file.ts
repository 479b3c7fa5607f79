import { parse } from 'yaml';
import { z } from 'zod';
import type { FeatureGuard, GuardResult } from './guards.js';

// Feature guards kept in the fork itself (read at the production head, so the team edits them in
// git). Two shapes: ours (`guards: [{feature, files, patterns}]`) and CARTO's manifest
// (`features: [{name, verification: [{pattern, file}]}]`, whose patterns are grep basic regexes).

const ours = z.object({
  guards: z.array(
    z.object({
      feature: z.string().min(1),
      files: z.array(z.string().min(1)).default([]),
      patterns: z
        .array(z.object({ file: z.string().min(1), literal: z.string().optional(), regex: z.string().optional() }))
        .default([]),
    }),
  ),
});

const carto = z.object({
  features: z.array(
    z.object({
      name: z.string().min(1),
      verification: z.array(z.object({ pattern: z.string().min(1), file: z.string().min(1) })).default([]),
    }),
  ),
});

/** grep's basic regex as a JS regex: `|+?(){}` are literal, their backslashed forms are operators. */
export function basicRegexToJs(bre: string): string {
  let out = '';
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i] as string;
    if (c === '\\' && i + 1 < bre.length) {
      const n = bre[++i] as string;
      out += '|+?(){}'.includes(n) ? n : `\\${n}`;
    } else out += '|+?(){}'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

export type GuardsFileResult = { guards: FeatureGuard[] } | { error: string };

export function parseGuardsFile(text: string): GuardsFileResult {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { error: `not YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const a = ours.safeParse(data);
  if (a.success) return { guards: a.data.guards.filter((g) => g.patterns.every((p) => p.literal || p.regex)) };
  const b = carto.safeParse(data);
  if (b.success)
    return {
      guards: b.data.features.map((f) => ({
        feature: f.name,
        files: [],
        patterns: f.verification.map((v) => ({ file: v.file, regex: basicRegexToJs(v.pattern) })),
      })),
    };
  return { error: 'expected `guards: [{feature, files, patterns}]` or `features: [{name, verification}]`' };
}

/** A guards file that cannot be read blocks like a failing guard: a silent pass would hide drops. */
export function guardsFileFailure(path: string, error: string): GuardResult {
  return { feature: `guards file ${path}`, ok: false, failures: [error] };
}
