// Which deterministic layers and strategies decide by default. A layer is on by default only when
// its hunk precision on the dev corpora (`bench conflicts` on ../shared/bench/fork-sync/dev and
// ../shared/bench/conflicts/dev, against what people finally kept) is at least 95% over at least
// 20 firings; otherwise it is off unless a pipeline turns it on (`resolution.layers`). The
// measured figures are kept next to the switch, so the bench can say why.

export interface LayerInfo {
  name: string;
  /** What the layer does, for the bench and the config reference. */
  what: string;
  defaultOn: boolean;
  /** The measurement behind the default. */
  why: string;
}

export const MIN_PRECISION = 0.95;
export const MIN_FIRINGS = 20;

/** Figures from `npm run bench -- conflicts` (every layer on), hunks right:wrong where scorable. */
export const LAYERS: readonly LayerInfo[] = [
  {
    name: 'stale-fork-side',
    what: "history: the fork's whole file is a version upstream had → upstream's file",
    defaultOn: true,
    why: '454 hunks, 454:0, 100%',
  },
  {
    name: 'stale-fork-hunk',
    what: "history: a fork hunk with its context is in an upstream version → upstream's hunk",
    defaultOn: false,
    why: '10 hunks, only 2 scorable (2:0): too few to trust',
  },
  {
    name: 'blank-equal',
    what: "sides equal but for blank lines → upstream's layout",
    defaultOn: false,
    why: '4 hunks, 4:0: too few to trust',
  },
  {
    name: 'same-ignoring-whitespace',
    what: 'same change, different spacing → the side that kept base formatting',
    defaultOn: false,
    why: '2 hunks, 2:0: too few to trust',
  },
  {
    name: 'higher-version-pin',
    what: 'both bumped one dependency pin → the higher',
    defaultOn: false,
    why: '2 hunks, 2:0: too few to trust',
  },
  {
    name: 'import-union',
    what: 'both edited the names of one import → union of names',
    defaultOn: false,
    why: '5 hunks, 2:1 (66.7%)',
  },
  {
    name: 'list-union',
    what: 'both inserted list entries at one point → all of them, in marker order',
    defaultOn: true,
    why: '56 hunks, 43:2 (95.6%)',
  },
  {
    name: 'block-union',
    what: 'both inserted different self-contained blocks where the base had nothing → both, in marker order',
    defaultOn: false,
    // Upstream-internal merges: people dropped a topic branch's new test (twice, one merge) and
    // kept main's block first once; every other firing was kept as both, in marker order.
    why: '19 hunks, 14:3 (82.4%)',
  },
  {
    name: 'non-overlapping',
    what: 'manifests and ignore files: apply both sides where their lines do not overlap',
    defaultOn: false,
    why: '3 hunks, 3:0: too few to trust',
  },
  {
    name: 'key-merge',
    what: 'JSON/YAML/TOML merged key by key',
    defaultOn: false,
    why: '2 hunks, 2:0: too few to trust',
  },
  {
    name: 'memory',
    what: 'the same hunk was resolved before → replayed',
    // Not a heuristic: it replays what people landed for the identical hunk in the identical
    // context, so the corpus cannot measure it (held-out copies start empty). resolution.memory
    // switches it off for a pipeline.
    defaultOn: true,
    why: "replays people's own landed decisions for identical hunk and context (1 hunk, 1:0, with --learn on conflicts/dev); never fires on a corpus without recurrence",
  },
];

export type LayerSwitches = Readonly<Record<string, boolean>>;

/** Whether a layer decides: the pipeline's switch when set, else its default. Unknown names are on. */
export function layerOn(name: string, switches: LayerSwitches | undefined): boolean {
  const set = switches?.[name];
  if (set !== undefined) return set;
  return LAYERS.find((l) => l.name === name)?.defaultOn ?? true;
}
