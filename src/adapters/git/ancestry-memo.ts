import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// Answers about the ancestry of two commits named by full object ids: commits are immutable, so a
// merge base (or an is-ancestor verdict) once computed never changes and need never be walked
// again, however long the history. Kept in memory and appended to a file in the cache directory,
// so the next sync of the same fork (another process, after a restart) reuses it; removing the
// cache removes it. Answers for abbreviations or ref names are never stored: those move.

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const FILE = 'upstream-sync-ancestry';
const MAX_ENTRIES = 50_000;

export type AncestryKind = 'base' | 'anc';

export class AncestryMemo {
  private loaded: Promise<Map<string, string>> | null = null;

  constructor(private readonly dir: string) {}

  static cacheable(...revs: string[]): boolean {
    return revs.every((rev) => FULL_SHA.test(rev));
  }

  private load(): Promise<Map<string, string>> {
    this.loaded ??= readFile(join(this.dir, FILE), 'utf8').then(
      (text) => {
        const map = new Map<string, string>();
        for (const line of text.split('\n')) {
          const [kind, a, b, answer] = line.split(' ');
          // A torn last line (killed mid-append) is skipped, never trusted.
          if (!kind || !a || !b || answer === undefined || !AncestryMemo.cacheable(a, b)) continue;
          if (kind === 'anc' ? answer === '0' || answer === '1' : answer === '-' || FULL_SHA.test(answer))
            map.set(`${kind} ${a} ${b}`, answer);
        }
        return map;
      },
      () => new Map<string, string>(),
    );
    return this.loaded;
  }

  async get(kind: AncestryKind, a: string, b: string): Promise<string | undefined> {
    return (await this.load()).get(`${kind} ${a} ${b}`);
  }

  async set(kind: AncestryKind, a: string, b: string, answer: string): Promise<void> {
    const map = await this.load();
    const key = `${kind} ${a} ${b}`;
    if (map.get(key) === answer || map.size >= MAX_ENTRIES) return;
    map.set(key, answer);
    await mkdir(this.dir, { recursive: true });
    // One short line per append: a crash leaves at worst a torn last line, which load() skips.
    await appendFile(join(this.dir, FILE), `${key} ${answer}\n`).catch(() => undefined);
  }
}
