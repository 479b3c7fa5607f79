// "1 file", "2 files": the count and its noun, for messages people read (cards, PR comments, CLI).
// Nouns here all take a plain -s; pass the plural when one does not.

export function plural(count: number, noun: string, nounPlural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nounPlural}`;
}
