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
