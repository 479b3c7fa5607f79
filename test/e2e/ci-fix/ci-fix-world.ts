import { AnthropicSandbox } from '../../../src/sandbox/anthropic/anthropic-sandbox.js';
import type { CiFixAttempt } from '../../../src/ports/ci-fix-records.js';
import { FORK } from '../../pipelines/release-sync/harness.js';
import { slackWorld, type SlackWorld } from '../slack-world.js';
import { afterEach } from 'vitest';

// The whole bot (Slack and GitHub stand-ins, real git, SQLite, Octokit and the Anthropic SDK)
// with the Anthropic stand-in answering the CI fixer, on a sync PR whose upstream release changes
// litellm/app.py (the file the red checks below point at).

export const APP = 'litellm/app.py';
export const APP_AT_TAG = 'a = 1\nb = 2\nc = 3\nd = undefined_name\n';

const llms: AnthropicSandbox[] = [];
afterEach(async () => {
  while (llms.length) await llms.pop()!.close();
});

export interface CiFixWorld extends SlackWorld {
  anthropic: AnthropicSandbox;
  pr: number;
  branch: string;
  head(): Promise<string>;
  /** A finished check run on `sha` (GitHub Actions: its log is the job's log). */
  check(sha: string, name: string, conclusion: 'success' | 'failure', log?: string): Promise<void>;
  attempts(): CiFixAttempt[];
  /** Waits until the sync branch is no longer at `sha` and returns the new head. */
  movedFrom(sha: string): Promise<string>;
  file(rev: string, path: string): Promise<string>;
  /** Clicks like `click`, waiting out a Socket Mode reconnect (a loaded machine) before the click is sent. */
  press(user: string, label: string): Promise<Record<string, unknown>>;
}

export async function ciFixWorld(fixer: Record<string, unknown> = {}): Promise<CiFixWorld> {
  const anthropic = await new AnthropicSandbox().listen();
  llms.push(anthropic);
  const w = await slackWorld({
    release: { 'litellm/new.py': 'n = 1\n', [APP]: APP_AT_TAG },
    config: {
      llm: { model: 'claude-test', maxRetries: 1, timeoutMs: 5000 },
      ci: { fixer: { maxAttemptsPerPr: 3, ...fixer } },
    },
    env: anthropic.env(),
  });
  const s = await w.syncToPr();
  const pr = s.pr.number;
  const branch = w.github.pull(FORK, pr).headRef;
  const head = async () => (await w.github.branchSha(FORK, branch))!;
  return {
    ...w,
    anthropic,
    pr,
    branch,
    head,
    check: (sha, name, conclusion, log) =>
      w.github.setCheckRun(FORK, sha, { name, conclusion, summary: `${name} ${conclusion}`, ...(log ? { log } : {}) }),
    attempts: () => w.services.ciFixes.attempts(FORK, pr),
    movedFrom: (sha) => pollHead(w, branch, sha),
    file: (rev, path) => w.github.git(FORK, ['show', `${rev}:${path}`]),
    press: async (user, label) => {
      for (let i = 0; ; i++) {
        try {
          return await w.click(user, label);
        } catch (err) {
          // Refused before anything was sent: pressing again cannot act twice.
          if (i >= 50 || !String(err).includes('no Socket Mode connection')) throw err;
          await w.slack.waitForConnection(1, 10_000).catch(() => undefined);
        }
      }
    },
  };
}

async function pollHead(w: SlackWorld, branch: string, sha: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await w.github.branchSha(FORK, branch);
    if (now && now !== sha) return now;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${branch} to move from ${sha}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A unified diff replacing the whole of `path` (what a model writes for a small file). */
export function replaceDiff(path: string, before: string, after: string): string {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  return [
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -1,${a.length} +1,${b.length} @@`,
    ...a.map((l) => `-${l}`),
    ...b.map((l) => `+${l}`),
    '',
  ].join('\n');
}

/** A GitHub Actions log: timestamps, noise, one ruff error naming litellm/app.py. */
export function lintLog(line = 4): string {
  const ts = '2026-02-02T10:00:00.0000000Z';
  const noise = Array.from({ length: 400 }, (_, i) => `${ts} Collecting package-${i}==1.0.${i}`);
  return [
    ...noise,
    `${ts} Run ruff check litellm`,
    `${ts} ${APP}:${line}:5: F821 error: Undefined name \`undefined_name\``,
    `${ts} Found 1 error.`,
    `${ts} ##[error]Process completed with exit code 1.`,
  ].join('\n');
}
