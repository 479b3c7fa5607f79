// Progress lines on stderr for long CLI work (fetch, merge, push, PR are job steps): on when
// stderr is a terminal or with --progress, off otherwise so that scripts and CI logs stay clean.
// stdout is untouched (--json stays parseable).

export interface StepEvent {
  kind: string;
  name: string;
  /** Absent when the step starts. */
  seconds?: number;
  ok?: boolean;
}

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
