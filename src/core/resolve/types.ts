import type { ConflictDecider } from '../../ports.js';

// Shapes shared by the resolver layers. Sides are always `upstream` and `fork`: the mapping
// from a merge's first/second parent to these names lives in sides.ts and nowhere else.

export type Side = 'upstream' | 'fork';

/** One conflicting region: the three versions of the lines, each line with its terminator. */
export interface Hunk {
  /** 0-based position among the file's hunks. */
  index: number;
  base: string[];
  upstream: string[];
  fork: string[];
  /** 1-based line where the region starts in the upstream file (counted from the clean text when parsed from markers). */
  upstreamLine: number;
  /** Which side git's markers put first (default upstream): a union of both sides keeps that order. */
  first?: Side;
}

export type Segment = { kind: 'clean'; lines: string[] } | { kind: 'conflict'; hunk: Hunk };

/** A file's three versions; null when that side has no such file (never added, or deleted). */
export interface FileVersions {
  path: string;
  base: string | null;
  upstream: string | null;
  fork: string | null;
}

/** The layer that decided a hunk, in the order they run ('structure': a deterministic strategy). */
export type Layer = ConflictDecider;

export interface HunkOutcome {
  hunk: number;
  /** null while the hunk waits for the LLM or a person. */
  layer: Layer | null;
  /** Rule glob, strategy name, memory key, model id or the person's id. */
  by: string | null;
  rationale: string;
  /** 1 for deterministic layers and people; the model's own figure for the LLM. */
  confidence: number;
  /** The resolved text, once decided. */
  text?: string;
}
