// One preflight check's answer: what was checked, what was found, and, when something is wrong,
// what to do about it. `fatal` problems make `start` refuse (exit 2): running would fail every
// job. The others are reported (logs, /readyz, doctor) and the bot runs.

export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id, e.g. `github.token`, `slack.channel.litellm`. */
  id: string;
  status: CheckStatus;
  /** What was checked, for people ("GitHub token", "litellm: Slack channel"). */
  title: string;
  /** What was found. */
  detail: string;
  /** What to do; set on every failure. */
  fix?: string;
  fatal: boolean;
}

export const ok = (id: string, title: string, detail: string): CheckResult => ({
  id,
  status: 'ok',
  title,
  detail,
  fatal: false,
});

export const skip = (id: string, title: string, detail: string): CheckResult => ({
  id,
  status: 'skip',
  title,
  detail,
  fatal: false,
});

export const fail = (id: string, title: string, detail: string, fix: string, fatal = false): CheckResult => ({
  id,
  status: 'fail',
  title,
  detail,
  fix,
  fatal,
});

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', skip: '–' };

/** One line per check: `✓ title: detail`, failures followed by `→ fix`. */
export function checkLine(c: CheckResult): string {
  return `${MARK[c.status]} ${c.title}: ${c.detail}${c.fix ? ` → ${c.fix}` : ''}`;
}

/** The one line `start` prints for a fatal problem. */
export function fatalLine(c: CheckResult): string {
  return `error: ${c.detail}${c.fix ? `: ${c.fix}` : ''}`;
}
