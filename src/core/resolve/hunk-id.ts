import { createHash } from 'node:crypto';

// The id a person's "take upstream / take fork" comes back with (through Slack, ≤ 200 chars).
// It names the file and hunk and carries the start of the hunk's key, so an answer given for one
// version of a conflict is never applied to a different one after the branch moved.

export interface ParsedHunkId {
  path: string;
  index: number;
  keyPrefix: string;
}

const MAX_PATH = 150;

export function waitingHunkId(path: string, index: number, key: string): string {
  const shownPath = path.length <= MAX_PATH ? path : `~${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
  return `${key.slice(0, 16)}:${index}:${shownPath}`;
}

/** Whether an id given out earlier names this hunk. */
export function hunkIdMatches(id: string, path: string, index: number, key: string): boolean {
  return id === waitingHunkId(path, index, key);
}
