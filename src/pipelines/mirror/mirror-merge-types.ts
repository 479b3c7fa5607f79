import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type {
  Actor,
  GitHubPort,
  GitPort,
  LlmPort,
  ResolutionMemory,
  ResolverLog,
  SyncCardReader,
  SyncNotifier,
  SyncRecords,
} from '../../ports.js';

// Shapes of a mirror's "Merge into target" (issue 25): the source merged into a branch made from
// the target head, proposed to the target branch through one PR.

/** What a merge needs beyond a mirror run's own ports. */
export interface MirrorMergeDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  llm: LlmPort | null;
  resolver: ResolutionMemory & ResolverLog;
  notifier: SyncNotifier;
  cards?: Pick<SyncCardReader, 'get'>;
  /** Where the bot records the older merge PRs it closes (the CI watcher leaves their cards alone). */
  closures?: Pick<SyncRecords, 'recordBotClosed'>;
}

export interface MirrorMergeRun {
  log: Logger;
  dryRun: boolean;
  silent: boolean;
  requestedBy: Actor;
  jobId: number | null;
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The resolver's records of a mirror merge are keyed by the target repository and this pseudo PR
 * number: the merge is resolved before its PR may exist, and hunk ids are content-addressed.
 */
export const MIRROR_RESOLVER_PR = 0;

/** Every merge branch starts with this; the merge job only merges PRs from such a branch. */
export const MIRROR_MERGE_BRANCH_PREFIX = 'upstream-sync/mirror-';

/** `upstream-sync/mirror-<short source sha>`: one branch (and one PR) per source head merged. */
export function mirrorMergeBranch(sourceSha: string): string {
  return `${MIRROR_MERGE_BRANCH_PREFIX}${sourceSha.slice(0, 7)}`;
}

/** The Slack card of a merge (SyncCards key): `mirror-<short source sha>`, like its branch. */
export function mirrorMergeTag(sourceSha: string): string {
  return `mirror-${sourceSha.slice(0, 7)}`;
}
