import { actorName } from '../../core/wording.js';
import type { ReleaseSyncConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { ConflictedPath, GitPort, HunkDecision, HunkRecord, ResolutionMemory, ResolverLog } from '../../ports.js';
import { hunkKey } from '../../core/resolve/hunk-key.js';
import { waitingHunkId } from '../../core/resolve/hunk-id.js';
import { hunksOf, merge3 } from '../../core/resolve/merge3.js';
import { compileRules, type RuleMatch } from '../../core/resolve/path-rules.js';
import { resolveFile, type FileResolution, type RememberedHunk } from '../../core/resolve/resolve-file.js';
import type { FileVersions, HunkOutcome, Segment } from '../../core/resolve/types.js';
import type { UpstreamHistoryPort } from '../../core/resolve/history/upstream-history.js';
import { splitLines } from '../../core/resolve/lines.js';

// The deterministic half of a resolution: the three versions of every conflicted path, read from
// the git cache, through rules, strategies and memory, with the decisions people and the LLM
// already made for this head put back. Recomputed on every run: it changes nothing outside.

/** Files the resolver merges hunk by hunk; every other conflict is a whole-file choice. */
const TEXT_KINDS = new Set(['content', 'add/add', 'modify/delete']);

export interface PlannedFile {
  path: string;
  kind: ConflictedPath['kind'];
  /**
   * null for whole-file conflicts (renames, binaries, submodules…): a rule or a person picks a
   * side, and the single outcome's text is then the side's name, 'upstream' or 'fork'.
   */
  versions: FileVersions | null;
  resolution: FileResolution;
  /** Hunk keys by hunk index (memory and waiting-hunk ids). */
  keys: string[];
}

export interface PlanInput {
  /** Any kind's pipeline: only its resolution settings are read. */
  pipeline: Pick<ReleaseSyncConfig, 'resolution'>;
  cache: string;
  /** The upstream side (release-sync: the sync branch built from the tag; branch-sync: upstream's head). */
  head: string;
  /** The fork side (release-sync: production; branch-sync: the sync branch). */
  production: string;
  mergeBase: string | null;
  conflicts: readonly ConflictedPath[];
  repo: string;
  pr: number;
  /** Upstream history of each path, for the history layer; without it that layer stays silent. */
  history?: UpstreamHistoryPort;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text when the blob is text we can write back byte for byte; `binary` otherwise. */
function asText(blob: Buffer | null): string | null | 'binary' {
  if (blob === null) return null;
  if (blob.includes(0)) return 'binary';
  try {
    return utf8.decode(blob);
  } catch {
    return 'binary';
  }
}

/** A whole-file conflict as one "hunk" whose sides are the two versions (or their absence). */
function wholeFile(path: string, kind: string, rule: RuleMatch | null): FileResolution {
  const segments: Segment[] = [
    { kind: 'conflict', hunk: { index: 0, base: [], upstream: [], fork: [], upstreamLine: 1 } },
  ];
  const res: FileResolution = { path, deletedBy: null, rule, segments, outcomes: [] };
  if (rule && (rule.rule.take === 'upstream' || rule.rule.take === 'fork')) {
    res.outcomes = [
      {
        hunk: 0,
        layer: 'rule',
        by: rule.glob,
        rationale: `${rule.builtIn ? 'built-in rule' : 'rule'} ${rule.glob}: take ${rule.rule.take}`,
        confidence: 1,
        text: rule.rule.take,
      },
    ];
  } else {
    res.outcomes = [
      { hunk: 0, layer: null, by: null, rationale: `${kind} conflict: the whole file is one choice`, confidence: 0 },
    ];
  }
  return res;
}

export async function planFiles(
  git: GitPort,
  memory: ResolutionMemory,
  log: ResolverLog,
  input: PlanInput,
): Promise<PlannedFile[]> {
  const rules = compileRules(input.pipeline.resolution.rules, input.pipeline.resolution.defaults);
  const choices = log.choices(input.repo, input.pr);
  const earlier = log.decisions(input.repo, input.pr, input.head);
  const out: PlannedFile[] = [];
  for (const c of input.conflicts) {
    const rule = rules.match(c.path);
    if (!TEXT_KINDS.has(c.kind)) {
      const resolution = wholeFile(c.path, c.kind, rule);
      applyChoices(resolution, [`${c.kind}:${c.path}`], choices, c.path);
      out.push({ path: c.path, kind: c.kind, versions: null, resolution, keys: [`${c.kind}:${c.path}`] });
      continue;
    }
    const has = (stage: number) => c.stages.some((s) => s.stage === stage);
    const read = async (rev: string | null, stage: number) =>
      rev && has(stage) ? asText(await git.readFile(input.cache, rev, c.path)) : null;
    const [base, upstream, fork] = await Promise.all([
      read(input.mergeBase, 1),
      read(input.head, 2),
      read(input.production, 3),
    ]);
    if (base === 'binary' || upstream === 'binary' || fork === 'binary') {
      const resolution = wholeFile(c.path, 'binary', rule);
      applyChoices(resolution, [`binary:${c.path}`], choices, c.path);
      out.push({ path: c.path, kind: 'binary', versions: null, resolution, keys: [`binary:${c.path}`] });
      continue;
    }
    const versions: FileVersions = { path: c.path, base, upstream, fork };
    const segments = upstream !== null && fork !== null ? merge3(base ?? '', upstream, fork) : null;
    const hunks = segments
      ? hunksOf(segments)
      : [{ base: splitLines(base ?? ''), upstream: splitLines(upstream ?? ''), fork: splitLines(fork ?? '') }];
    const keys = hunks.map((h) => hunkKey(h));
    const recalled = new Map<string, RememberedHunk>();
    if (input.pipeline.resolution.memory) for (const [k, v] of memory.recall(input.repo, keys)) recalled.set(k, v);
    const decided = earlier
      .filter((r) => r.path === c.path && r.layer === 'llm' && r.text !== null && keys[r.hunk] === r.hunkKey)
      .map(toOutcome);
    const history = input.history ? await input.history.historyOf(c.path).catch(() => null) : null;
    const layers = input.pipeline.resolution.layers;
    let resolution = resolveFile({ versions, segments, rules, memory: recalled, decided, history, layers });
    const byPerson = personOutcomes(resolution, keys, choices, c.path, versions);
    if (byPerson.length)
      resolution = resolveFile({
        versions,
        segments,
        rules,
        memory: recalled,
        decided: [...decided, ...byPerson],
        history,
        layers,
      });
    // The LLM is asked about a hunk once per head: a refused answer stays refused, and the hunk
    // stays with a person, instead of asking again at every button press.
    for (const o of resolution.outcomes) {
      const asked = earlier.find(
        (r) =>
          r.path === c.path && r.hunk === o.hunk && r.layer === null && r.by !== null && r.hunkKey === keys[o.hunk],
      );
      if (o.layer === null && asked) Object.assign(o, { by: asked.by, rationale: asked.rationale });
    }
    out.push({ path: c.path, kind: c.kind, versions, resolution, keys });
  }
  return out;
}

function toOutcome(r: HunkRecord): HunkOutcome {
  return {
    hunk: r.hunk,
    layer: r.layer,
    by: r.by,
    rationale: r.rationale,
    confidence: r.confidence,
    text: r.text ?? undefined,
  };
}

/** A person's choices, for hunks still waiting whose id (path, index, key) matches. */
function personOutcomes(
  res: FileResolution,
  keys: string[],
  choices: readonly HunkDecision[],
  path: string,
  v: FileVersions,
): HunkOutcome[] {
  const out: HunkOutcome[] = [];
  for (const o of res.outcomes) {
    if (o.layer !== null) continue;
    const id = waitingHunkId(path, o.hunk, keys[o.hunk] ?? '');
    const choice = choices.find((c) => c.hunkId === id);
    if (!choice) continue;
    const seg = res.segments.find((s) => s.kind === 'conflict' && s.hunk.index === o.hunk);
    if (!seg || seg.kind !== 'conflict') continue;
    // modify/delete: the hunk is the whole file; taking the deleting side deletes it.
    const text = res.deletedBy ? (v[choice.take] ?? '') : seg.hunk[choice.take].join('');
    out.push({
      hunk: o.hunk,
      layer: 'person',
      by: choice.by.id,
      rationale: `${actorName(choice.by)} took ${choice.take}`,
      confidence: 1,
      text,
    });
  }
  return out;
}

function applyChoices(res: FileResolution, keys: string[], choices: readonly HunkDecision[], path: string): void {
  const o = res.outcomes[0];
  if (!o || o.layer !== null) return;
  const choice = choices.find((c) => c.hunkId === waitingHunkId(path, 0, keys[0] ?? ''));
  if (choice)
    Object.assign(o, {
      layer: 'person',
      by: choice.by.id,
      rationale: `${actorName(choice.by)} took ${choice.take}`,
      confidence: 1,
      text: choice.take,
    });
}

/** Decision-log rows for every hunk of every planned file. */
export function recordsOf(
  files: readonly PlannedFile[],
  refused: ReadonlyArray<{ path: string; hunk: number; reason: string; by: string }> = [],
): HunkRecord[] {
  return files.flatMap((f) =>
    f.resolution.outcomes.map((o) => {
      const r = refused.find((x) => x.path === f.path && x.hunk === o.hunk);
      return {
        path: f.path,
        hunk: o.hunk,
        hunkKey: f.keys[o.hunk] ?? '',
        layer: o.layer,
        by: o.layer === null && r ? r.by : o.by,
        rationale: o.layer === null && r ? `${o.rationale}; ${r.reason}` : o.rationale,
        confidence: o.confidence,
        text: o.text ?? null,
      };
    }),
  );
}

export function assertSha(sha: string | null, what: string): string {
  if (!sha) throw new AppError('not_found', `${what} is missing after fetch`);
  return sha;
}
