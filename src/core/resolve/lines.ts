// Text is handled as lines that keep their terminators, so that joining the lines of any
// resolution gives back the exact bytes (CRLF, a missing final newline) of what it came from.

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      if (start < text.length) lines.push(text.slice(start));
      return lines;
    }
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

export function joinLines(lines: readonly string[]): string {
  return lines.join('');
}

/** The line without its terminator. */
export function lineBody(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** Comparison key that ignores every difference in whitespace. */
export function squashWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Whether no non-blank line occurs in `lines` more often than in either side (spacing ignored). */
export function noNewDuplicates(
  lines: readonly string[],
  sides: { upstream: readonly string[]; fork: readonly string[] },
): boolean {
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) {
      const k = x.trim();
      if (k !== '') m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const up = count(sides.upstream);
  const fork = count(sides.fork);
  for (const [line, n] of count(lines)) if (n > Math.max(up.get(line) ?? 0, fork.get(line) ?? 0)) return false;
  return true;
}
