// Progress of long work, for people watching a terminal: a job step, or one piece of network or
// git work inside it (fetch, merge, push, pull request). Told when it starts (no `seconds`) and
// when it ends. Core and jobs never print: the CLI decides whether and where these go.

export interface ProgressEvent {
  /** What kind of work: a job kind (`sync`) for steps, `git` or `github` for the pieces. */
  kind: string;
  /** `inspect`, `fetch BerriAI/litellm`, `push CartoDB/litellm upstream-sync/v1.81.0-stable`, … */
  name: string;
  /** Absent when the work starts. */
  seconds?: number;
  ok?: boolean;
}

export type ProgressSink = (event: ProgressEvent) => void;
