// The port "upstream history of a path": what the history layer needs to know about one
// conflicted file, whoever supplies it (the sync's git cache, or a corpus's recorded history).

export interface UpstreamVersion {
  /** The upstream commit that left the path at this content. */
  commit: string;
  /** Git blob id of the content, when known. */
  blob: string | null;
  /** The content, when it could be read (null: only the blob id is known). */
  text: string | null;
}

export interface ForkCommit {
  commit: string;
  /** A cherry-pick of an upstream commit. */
  upstreamCommit: boolean;
  /** A sync merge bringing upstream in. */
  syncCommit: boolean;
  subject?: string;
}

export interface PathHistory {
  /** Upstream versions of the path, newest first. */
  upstream: UpstreamVersion[];
  /** Fork-side commits touching the path since the merge base, newest first. */
  fork: ForkCommit[];
  /** Blob id of the fork's version of the file, when known. */
  forkBlob: string | null;
}

export interface UpstreamHistoryPort {
  /** Null when no history is known for the path (build output, a path upstream never had). */
  historyOf(path: string): Promise<PathHistory | null>;
}

/** Commits the fork made on purpose: neither an upstream cherry-pick nor a sync merge. */
export function forkOwnChanges(h: PathHistory | null | undefined): ForkCommit[] {
  return (h?.fork ?? []).filter((c) => !c.upstreamCommit && !c.syncCommit);
}

export function cherryPicks(h: PathHistory | null | undefined): ForkCommit[] {
  return (h?.fork ?? []).filter((c) => c.upstreamCommit);
}

export const short = (sha: string) => sha.slice(0, 10);
