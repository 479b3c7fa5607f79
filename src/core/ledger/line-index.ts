// Where blocks of lines occur in one text: positions by line, so a block is looked up from the
// occurrences of its first line instead of scanning the file for each hunk.

export class LineIndex {
  private readonly positions = new Map<string, number[]>();
  private readonly counts = new Map<string, number>();

  constructor(readonly lines: readonly string[]) {
    lines.forEach((line, i) => {
      const list = this.positions.get(line);
      if (list) list.push(i);
      else this.positions.set(line, [i]);
    });
  }

  contains(block: readonly string[]): boolean {
    if (block.length === 0) return true;
    const starts = this.positions.get(block[0] as string);
    if (!starts) return false;
    outer: for (const start of starts) {
      if (start + block.length > this.lines.length) return false;
      for (let i = 1; i < block.length; i++) if (this.lines[start + i] !== block[i]) continue outer;
      return true;
    }
    return false;
  }

  /** How many of `lines` occur here, each occurrence used once. */
  present(lines: readonly string[]): number {
    this.counts.clear();
    let found = 0;
    for (const line of lines) {
      const used = this.counts.get(line) ?? 0;
      if ((this.positions.get(line)?.length ?? 0) > used) {
        found++;
        this.counts.set(line, used + 1);
      }
    }
    return found;
  }
}

/** Blank lines and lone brackets prove nothing about where a change landed. */
export function isTrivial(line: string): boolean {
  return /^[\s{}()[\];,]*$/.test(line);
}

export function normalize(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}
