// Data for the release and changelog cards the notifier posts (./notifier.ts). Computed by pure
// functions in src/core/release/ (releaseCardData, pullCardData), rendered by src/slack/views/.

export type ReleaseCardKind = 'upstream-sync' | 'major' | 'feature' | 'patch';

export interface ReleaseCardData {
  tag: string;
  url: string;
  kind: ReleaseCardKind;
  /** e.g. "Upstream Sync (v1.81.3 → v1.81.9)". */
  typeLabel: string;
  emoji: string;
  color: string;
  version: string;
  upstream: string | null;
  previousTag: string | null;
  highlights: string[];
  commitCount: number;
  author: string | null;
  /** Full references, e.g. ghcr.io/cartodb/litellm-non_root:carto-stable. */
  images: string[];
}

export type PullCardType = 'upstream-sync' | 'bug-fix' | 'feature' | 'infrastructure' | 'update';

export interface PullCardData {
  number: number;
  title: string;
  url: string;
  author: string | null;
  type: PullCardType;
  typeLabel: string;
  emoji: string;
  color: string;
  impact: string;
  fileCount: number;
  /** The first five paths, for the card. */
  topFiles: string[];
  additions: number;
  deletions: number;
  upstream: string | null;
}
