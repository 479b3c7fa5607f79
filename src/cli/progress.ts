import type { ProgressEvent } from '../ports/progress.js';

// Progress lines on stderr for long CLI work (each job step, and each fetch, merge, push and pull
// request inside it, told by the git and GitHub ports through the progress port): on when
// stderr is a terminal or with --progress, off otherwise so that scripts and CI logs stay clean.
// stdout is untouched (--json stays parseable).

export type StepEvent = ProgressEvent;

let enabled = false;

export function setProgress(on: boolean): void {
  enabled = on;
}

export function progressEnabled(): boolean {
  return enabled;
}

export function progressLine(e: StepEvent): string {
  if (e.seconds === undefined) return `… ${e.kind}: ${e.name}`;
  return `${e.ok ? '✓' : '✗'} ${e.kind}: ${e.name} (${e.seconds.toFixed(1)}s)`;
}

/** A step listener printing to `write` when progress is on; undefined when off. */
export function progressPrinter(write: (line: string) => void): ((e: StepEvent) => void) | undefined {
  return enabled ? (e) => write(progressLine(e)) : undefined;
}
