import { emitRelease } from './routes-releases.js';
import type { Hub } from './hub.js';
import type { ReleaseRecord, RepoState } from './state.js';

// Releases a test sets up (upstream's history), as opposed to ones the bot creates through the
// API. Missing tags are created in one `git update-ref --stdin`, so hundreds of releases are cheap.

export interface AddReleaseInput {
  tag: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  /** ISO date; also the creation date, which orders the list. Defaults to now. */
  publishedAt?: string;
  /** Where to create the tag when it does not exist; default branch when omitted. */
  target?: string;
  author?: string;
}

export async function addReleases(hub: Hub, repo: RepoState, inputs: AddReleaseInput[]): Promise<ReleaseRecord[]> {
  const existing = new Set((await repo.git.listRefs('refs/tags/')).map((t) => t.ref));
  const targets = new Map<string, string>();
  const lines: string[] = [];
  for (const input of inputs) {
    const ref = `refs/tags/${input.tag}`;
    if (existing.has(ref)) continue;
    const target = input.target ?? repo.defaultBranch;
    if (!targets.has(target)) {
      const sha = await repo.git.resolve(target);
      if (!sha) throw new Error(`cannot tag ${input.tag}: unknown target ${target} in ${repo.fullName}`);
      targets.set(target, sha);
    }
    lines.push(`create ${ref} ${targets.get(target)}`);
    existing.add(ref);
  }
  if (lines.length) await repo.git.run(['update-ref', '--stdin'], { input: lines.join('\n') + '\n' });
  return inputs.map((input) => {
    const at = input.publishedAt ?? hub.now();
    const release: ReleaseRecord = {
      id: hub.store.newId(),
      tag: input.tag,
      targetCommitish: input.target ?? repo.defaultBranch,
      name: input.name ?? input.tag,
      body: input.body ?? null,
      draft: input.draft ?? false,
      prerelease: input.prerelease ?? false,
      createdAt: at,
      publishedAt: input.draft ? null : at,
      author: input.author ?? 'release-manager',
    };
    repo.releases.push(release);
    if (!release.draft) emitRelease(hub, repo, release, 'published');
    return release;
  });
}
