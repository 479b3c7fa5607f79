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

export const LAYERS: readonly LayerInfo[] = [
  {
    name: 'stale-fork-side',
    what: "history: the fork's whole file is a version upstream had → upstream",
    defaultOn: true,
    why: 'pending measurement',
  },
  {
    name: 'stale-fork-hunk',
    what: "history: a fork hunk with its context is in an upstream version → upstream's hunk",
    defaultOn: true,
    why: 'pending measurement',
  },
  { name: 'blank-equal', what: 'sides equal but for blank lines → upstream layout', defaultOn: true, why: 'pending' },
  {
    name: 'same-ignoring-whitespace',
    what: 'same change, different spacing → the side that kept base formatting',
    defaultOn: true,
    why: 'pending',
  },
  { name: 'higher-version-pin', what: 'both bumped a pin → the higher', defaultOn: true, why: 'pending' },
  { name: 'import-union', what: 'both edited one import → union of names', defaultOn: true, why: 'pending' },
  { name: 'list-union', what: 'both inserted list entries → all, marker order', defaultOn: true, why: 'pending' },
  {
    name: 'non-overlapping',
    what: 'manifests and ignore files: apply both sides where lines do not overlap',
    defaultOn: true,
    why: 'pending',
  },
  { name: 'key-merge', what: 'JSON/YAML/TOML merged key by key', defaultOn: true, why: 'pending' },
  { name: 'memory', what: 'the same hunk resolved before → replayed', defaultOn: true, why: 'pending' },
];

export type LayerSwitches = Readonly<Record<string, boolean>>;

/** Whether a layer decides: the pipeline's switch when set, else its default. Unknown names are on. */
export function layerOn(name: string, switches: LayerSwitches | undefined): boolean {
  const set = switches?.[name];
  if (set !== undefined) return set;
  return LAYERS.find((l) => l.name === name)?.defaultOn ?? true;
}
