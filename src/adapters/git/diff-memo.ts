import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AncestryMemo } from './ancestry-memo.js';

// What git printed for a diff between two commits named by full object ids: commits are
// immutable, so that output never changes. The next sync of the same fork diffs the same fork
// point against the same production head (only upstream moved), so it reads the answer instead
// of comparing two trees of thousands of files again. One file per answer in the cache
// directory, written whole under a temporary name and renamed (a crash never leaves a torn
// answer); the oldest are removed beyond MAX_FILES. Removing the cache removes them.

const DIR = 'upstream-sync-diffs';
const MAX_FILES = 256;

export class DiffMemo {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly cacheDir: string) {}

  static cacheable(from: string, to: string): boolean {
    return AncestryMemo.cacheable(from, to);
  }

  private file(kind: string, from: string, to: string): string {
    return join(this.cacheDir, DIR, `${kind}-${from}-${to}`);
  }

  async get(kind: string, from: string, to: string): Promise<Buffer | undefined> {
    const key = `${kind}-${from}-${to}`;
    const held = this.memory.get(key);
    if (held) return held;
    const read = await readFile(this.file(kind, from, to)).catch(() => undefined);
    if (read) this.remember(key, read);
    return read;
  }

  async set(kind: string, from: string, to: string, output: Buffer): Promise<void> {
    this.remember(`${kind}-${from}-${to}`, output);
    const dir = join(this.cacheDir, DIR);
    const target = this.file(kind, from, to);
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(temporary, output);
      await rename(temporary, target);
      await this.prune(dir);
    } catch {
      // A memo that cannot be written only costs the next sync a diff.
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }

  private remember(key: string, output: Buffer): void {
    this.memory.delete(key);
    this.memory.set(key, output);
    while (this.memory.size > 32) this.memory.delete(this.memory.keys().next().value as string);
  }

  private async prune(dir: string): Promise<void> {
    const all = await readdir(dir);
    const names = all.filter((n) => !n.endsWith('.tmp'));
    // Temporary files a killed process left behind (a live writer renames its own within moments).
    const stale = all.filter((n) => n.endsWith('.tmp'));
    if (names.length <= MAX_FILES && stale.length === 0) return;
    const aged = await Promise.all(
      all.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
    );
    const hourAgo = Date.now() - 3_600_000;
    for (const { name, at } of aged)
      if (name.endsWith('.tmp') && at < hourAgo) await rm(join(dir, name), { force: true });
    const kept = aged.filter((a) => !a.name.endsWith('.tmp')).sort((a, b) => a.at - b.at);
    for (const { name } of kept.slice(0, Math.max(0, kept.length - MAX_FILES)))
      await rm(join(dir, name), { force: true });
  }
}
