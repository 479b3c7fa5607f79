import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ForkSyncCase } from '../core/resolve/corpus-format.js';
import type { PathHistory, UpstreamHistoryPort } from '../core/resolve/history/upstream-history.js';

// The bench's implementation of the "upstream history of a path" port: a fork-sync corpus records,
// per case, upstream's commits on the path (`upstream_history`, contents of the newest in
// `blobs/<blob>.gz`) and the fork's commits since the merge base (`fork_history`). The sync's own
// implementation reads the same from its git cache (workflows/resolve/git-upstream-history.ts).

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function blobText(root: string, blob: string): Promise<string | null> {
  const file = join(root, 'blobs', `${blob}.gz`);
  if (!/^[0-9a-f]{40}$/.test(blob) || !existsSync(file)) return null;
  const bytes = gunzipSync(await readFile(file));
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

export function corpusUpstreamHistory(root: string, cases: readonly ForkSyncCase[]): UpstreamHistoryPort {
  const byPath = new Map(cases.map((c) => [c.path, c]));
  return {
    async historyOf(path: string): Promise<PathHistory | null> {
      const c = byPath.get(path);
      if (!c?.upstream_history) return null;
      const upstream = await Promise.all(
        c.upstream_history.map(async (e) => ({
          commit: e.commit,
          blob: e.blob ?? null,
          text: e.stored && e.blob ? await blobText(root, e.blob) : null,
        })),
      );
      return {
        upstream,
        fork: (c.fork_history ?? []).map((f) => ({
          commit: f.commit,
          upstreamCommit: f.upstream_commit,
          syncCommit: f.sync_commit,
          subject: f.subject,
        })),
        forkBlob: c.fork_blob ?? null,
      };
    },
  };
}
