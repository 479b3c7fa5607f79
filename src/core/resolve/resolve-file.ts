import { hasConflictMarkers } from './conflict-text.js';
import { hunkKey, replay, type RememberedShape } from './hunk-key.js';
import { forkOwnChanges, type PathHistory } from './history/upstream-history.js';
import { staleForkSide } from './history/stale-fork.js';
import { HUNK_STRATEGIES, resolveHunk } from './hunk-resolver.js';
import { layerOn, type LayerSwitches } from './layers.js';
import { isDependencyManifest } from './strategies/dependency-pin.js';
import { isLineListFile } from './strategies/list-items.js';
import { splitLines } from './lines.js';
import { hunksOf, merge3 } from './merge3.js';
import type { CompiledRules, RuleMatch } from './path-rules.js';
import { dataFormatOf, parses } from './structured.js';
import { mergeDataHunks } from './structured-hunks.js';
import type { FileVersions, Hunk, HunkOutcome, Segment } from './types.js';

// One conflicted file through the deterministic layers: a path rule decides the whole file;
// otherwise each hunk goes to the strategies, then to resolution memory, then (for data files)
// to the key-by-key merge. What is left waits for the LLM or a person, and every hunk says who
// decided it and why.

export interface RememberedHunk {
  shape: RememberedShape;
  text: string;
  /** Where it was learned, for the decision log. */
  source: string;
}

export interface ResolveFileInput {
  versions: FileVersions;
  /** Conflict segments when the caller already has them (from conflict text); else merge3 of the versions. */
  segments?: Segment[] | null;
  rules?: CompiledRules | null;
  /** Remembered resolutions by hunk key (see hunkKey), fetched by the caller. */
  memory?: ReadonlyMap<string, RememberedHunk>;
  /** Decisions made earlier (LLM answers, a person's buttons) to keep. */
  decided?: readonly HunkOutcome[];
  /** Upstream history of the path (see history/upstream-history.ts), for the history layer. */
  history?: PathHistory | null;
  /** Layers turned on or off by the pipeline (see layers.ts). */
  layers?: LayerSwitches;
}

export interface FileResolution {
  path: string;
  /** Which side deleted the file, for modify/delete conflicts. */
  deletedBy: 'upstream' | 'fork' | null;
  rule: RuleMatch | null;
  segments: Segment[];
  outcomes: HunkOutcome[];
  /** Set once every hunk is decided: the file's new content, or null to delete it. */
  result?: { content: string | null };
}

const CONTEXT = 5;

export function hunkContext(segments: readonly Segment[], i: number, path: string) {
  const prev = segments[i - 1];
  const next = segments[i + 1];
  return {
    path,
    before: prev?.kind === 'clean' ? prev.lines.slice(-CONTEXT) : [],
    after: next?.kind === 'clean' ? next.lines.slice(0, CONTEXT) : [],
  };
}

/** Segments for a modify/delete conflict: the whole file is one hunk, the deleted side empty. */
function wholeFileSegments(v: FileVersions): Segment[] {
  const hunk: Hunk = {
    index: 0,
    base: splitLines(v.base ?? ''),
    upstream: splitLines(v.upstream ?? ''),
    fork: splitLines(v.fork ?? ''),
    upstreamLine: 1,
  };
  return [{ kind: 'conflict', hunk }];
}

export function resolveFile(input: ResolveFileInput): FileResolution {
  const v = input.versions;
  const deletedBy =
    v.upstream === null && v.fork !== null ? 'upstream' : v.fork === null && v.upstream !== null ? 'fork' : null;
  const segments =
    input.segments ?? (deletedBy ? wholeFileSegments(v) : merge3(v.base ?? '', v.upstream ?? '', v.fork ?? ''));
  const rule = input.rules?.match(v.path) ?? null;
  const res: FileResolution = { path: v.path, deletedBy, rule, segments, outcomes: [] };
  const hunks = hunksOf(segments);

  if (rule && (rule.rule.take === 'upstream' || rule.rule.take === 'fork')) {
    const side = rule.rule.take;
    const why = `${rule.builtIn ? 'built-in rule' : 'rule'} ${rule.glob}: take ${side}${rule.rule.reason ? ` (${rule.rule.reason})` : ''}`;
    res.outcomes = hunks.map((h) => ({
      hunk: h.index,
      layer: 'rule',
      by: rule.glob,
      rationale: why,
      confidence: 1,
      text: h[side].join(''),
    }));
    res.result = { content: v[side] };
    return res;
  }

  const earlier = new Map((input.decided ?? []).map((d) => [d.hunk, d]));
  const manual = rule?.rule.take === 'manual';
  const stale =
    manual || deletedBy
      ? ({ kind: 'none' } as const)
      : staleForkSide({ fork: v.fork, segments, history: input.history, rule: rule ? rule.glob : null });
  const on = (name: string) => layerOn(name, input.layers);
  // A layer that is off neither decides nor sends anything to a person.
  const blocked = stale.kind === 'blocked' && on(stale.from === 'whole-file' ? 'stale-fork-side' : 'stale-fork-hunk');
  if (blocked || (stale.kind === 'whole-file' && on('stale-fork-side'))) {
    for (const h of hunks) {
      const kept = earlier.get(h.index);
      if (kept && kept.layer !== null && kept.text !== undefined) res.outcomes.push(kept);
      else if (stale.kind === 'blocked') res.outcomes.push(waiting(h.index, stale.reason));
      else
        res.outcomes.push({
          hunk: h.index,
          layer: 'structure',
          by: 'stale-fork-side',
          rationale: `the fork's file is upstream's own version at ${stale.commit}: the fork carried old upstream text, upstream's side is newer`,
          confidence: 1,
          text: h.upstream.join(''),
        });
    }
    // Taking upstream's side is taking upstream's file: the fork's clean changes are old upstream text too.
    if (res.outcomes.every((o) => o.by === 'stale-fork-side')) res.result = { content: v.upstream };
    else finish(res, v);
    return res;
  }
  const staleHunks = stale.kind === 'hunks' && on('stale-fork-hunk') ? stale.matches : new Map<number, string>();
  segments.forEach((s, i) => {
    if (s.kind !== 'conflict') return;
    const h = s.hunk;
    const kept = earlier.get(h.index);
    if (kept && kept.layer !== null && kept.text !== undefined) {
      res.outcomes.push(kept);
      return;
    }
    if (manual) {
      res.outcomes.push(
        waiting(
          h.index,
          `rule ${rule.glob}: always decided by a person${rule.rule.reason ? ` (${rule.rule.reason})` : ''}`,
        ),
      );
      return;
    }
    if (deletedBy) {
      res.outcomes.push(
        waiting(
          h.index,
          `${deletedBy === 'upstream' ? 'upstream deleted the file; the fork changed it' : 'the fork deleted the file; upstream changed it'}`,
        ),
      );
      return;
    }
    const matched = staleHunks.get(h.index);
    if (matched) {
      res.outcomes.push({
        hunk: h.index,
        layer: 'structure',
        by: 'stale-fork-hunk',
        rationale: `the fork's hunk, with its context, is upstream's own text at ${matched}: upstream's side is newer`,
        confidence: 1,
        text: h.upstream.join(''),
      });
      return;
    }
    res.outcomes.push(decideHunk(h, hunkContext(segments, i, v.path), on('memory') ? input.memory : undefined, on));
  });

  if (!manual && !deletedBy && on('key-merge')) mergeDataHunks(v, segments, res.outcomes);
  finish(res, v);
  keepForkCustomisations(res, v, input.history);
  return res;
}

/**
 * A file the fork changed on purpose since the merge base is never resolved to upstream's whole
 * file by the automatic layers: that drops the fork's feature without anyone seeing it. It is
 * merged hunk by hunk keeping the fork's changes, or it goes to a person.
 */
function keepForkCustomisations(res: FileResolution, v: FileVersions, history: PathHistory | null | undefined): void {
  const own = forkOwnChanges(history);
  if (!res.result || own.length === 0 || v.upstream === null || v.fork === null) return;
  if (res.result.content === null || acceptableKey(res.result.content) !== acceptableKey(v.upstream)) return;
  if (acceptableKey(v.fork) === acceptableKey(v.upstream)) return;
  const why = `the fork customised this file since the merge base (${own.map((c) => c.commit.slice(0, 10)).join(', ')}) and the automatic answer is upstream's whole file, which would drop the fork's change: a person decides`;
  for (const o of res.outcomes)
    if (o.layer === 'structure' || o.layer === 'memory' || o.layer === 'llm') Object.assign(o, waiting(o.hunk, why));
  if (res.outcomes.some((o) => o.layer === null)) delete res.result;
}

/** Equal after CRLF→LF, trailing whitespace stripped and blank lines dropped. */
export function acceptableKey(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '')
    .join('\n');
}

function waiting(hunk: number, rationale: string): HunkOutcome {
  return { hunk, layer: null, by: null, rationale, confidence: 0 };
}

function decideHunk(
  h: Hunk,
  ctx: ReturnType<typeof hunkContext>,
  memory: ReadonlyMap<string, RememberedHunk> | undefined,
  on: (name: string) => boolean,
): HunkOutcome {
  // Only where every line stands alone (pins, ignore patterns) does a change next to another never
  // interact with it; elsewhere people mostly drop one of two neighbouring edits.
  const strategies = HUNK_STRATEGIES.filter((x) => on(x.name));
  const s = resolveHunk(h, ctx, strategies, {
    refine: on('non-overlapping') && (isDependencyManifest(ctx.path) || isLineListFile(ctx.path)),
  });
  if (s)
    return {
      hunk: h.index,
      layer: 'structure',
      by: s.strategy,
      rationale: s.rationale,
      confidence: 1,
      text: s.lines.join(''),
    };
  const key = hunkKey(h);
  const m = memory?.get(key);
  if (m) {
    return {
      hunk: h.index,
      layer: 'memory',
      by: key.slice(0, 12),
      rationale: `the same conflict was resolved before (${m.source}); replayed as ${m.shape}`,
      confidence: 1,
      text: replay(h, m.shape, m.text),
    };
  }
  return waiting(h.index, 'no deterministic strategy applies and no earlier resolution is remembered');
}

/** Sets the result when every hunk is decided and the text is sound; otherwise leaves it unset. */
export function finish(res: FileResolution, v: FileVersions): void {
  if (res.outcomes.some((o) => o.layer === null || o.text === undefined)) return;
  if (res.deletedBy) {
    const only = res.outcomes[0] as HunkOutcome;
    const tookDeletion = only.text === '' && (res.deletedBy === 'upstream' ? v.upstream : v.fork) === null;
    res.result = { content: tookDeletion ? null : (only.text as string) };
    return;
  }
  const byHunk = new Map(res.outcomes.map((o) => [o.hunk, o.text as string]));
  const content = res.segments.map((s) => (s.kind === 'clean' ? s.lines.join('') : byHunk.get(s.hunk.index))).join('');
  if (hasConflictMarkers(content) && !hasConflictMarkers([v.base, v.upstream, v.fork].join('\n'))) return;
  const format = dataFormatOf(v.path);
  // A data file both sides could parse must still parse; otherwise the automatic answers go back.
  if (
    format &&
    [v.base ?? '', v.upstream ?? '', v.fork ?? ''].every((t) => parses(t, format)) &&
    !parses(content, format)
  ) {
    for (const o of res.outcomes)
      if (o.layer === 'structure' || o.layer === 'memory')
        Object.assign(o, waiting(o.hunk, `the merged file no longer parses as ${format.toUpperCase()}`));
    return;
  }
  res.result = { content };
}
