import { describe, expect, it } from 'vitest';
import { ciFixJobInput } from '../../../src/jobs/job-kinds.js';
import { FORK } from '../../pipelines/release-sync/harness.js';
import { ALICE, BOB } from '../slack-world.js';
import { APP, APP_AT_TAG, ciFixWorld, lintLog, replaceDiff } from './ci-fix-world.js';

// The brakes: one attempt per head commit however many times the red commit is reported, the same
// file patched three times stops the fixer, and "Try the CI fixer again" grants exactly one more.

const print = (title: string, lines: string[]) => {
  if (process.env.PRINT_THREADS) console.log(`\n===== ${title} =====\n${lines.join('\n-----\n')}\n`);
};
const version = (i: number) => `${APP_AT_TAG}undefined_name_${i} = ${i}\n`;

describe('CI fixer bounds', () => {
  it('a file patched three times stops the fixer; the button grants exactly one more attempt', async () => {
    const w = await ciFixWorld({ maxAttemptsPerPr: 5 });
    let head = await w.head();
    let content = APP_AT_TAG;
    for (let i = 1; i <= 3; i++) {
      const next = version(i);
      w.anthropic.replyToolUse({
        patch: replaceDiff(APP, content, next),
        summary: `define undefined_name (try ${i})`,
        rationale: `ruff still reports F821 in ${APP}; try ${i}.`,
      });
      await w.check(head, 'lint', 'failure', lintLog(4 + i));
      head = await w.movedFrom(head);
      content = next;
      await w.until(() => w.attempts().filter((a) => a.outcome === 'pushed').length === i, `attempt ${i} recorded`);
    }
    // The fourth red commit: app.py was patched three times, so no LLM call and a person is asked.
    await w.check(head, 'lint', 'failure', lintLog(8));
    await w.until(() => w.snapshot()?.stage === 'needs-person', 'the card at needs-person');
    expect(w.snapshot()?.ciFix).toMatchObject({ state: 'exhausted', reason: 'same-file', headSha: head });
    await w.until(() => w.cardText().includes('Try the CI fixer again'), 'the button');
    expect(w.cardText()).toContain('was patched 3 times');
    expect(w.anthropic.requests).toHaveLength(3);
    // The watcher keeps the card there while the same commit stays red.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.snapshot()?.stage).toBe('needs-person');

    // Not allowed to resolve: refused, nothing queued.
    await w.press(BOB, 'Try the CI fixer again');
    await w.until(() => w.answers(BOB).length > 0, "BOB's refusal");
    expect(await w.services.runner.list({ kind: 'ci-fix', states: ['queued', 'running'] })).toEqual([]);

    w.anthropic.replyToolUse({
      patch: replaceDiff(APP, content, version(4)),
      summary: 'define undefined_name (granted try)',
      rationale: 'one more try, granted by a person.',
    });
    await w.press(ALICE, 'Try the CI fixer again');
    const granted = await w.movedFrom(head);
    await w.until(() => w.attempts().length === 4 && w.attempts()[3]!.outcome === 'pushed', 'the granted attempt');
    expect(w.attempts()[3]).toMatchObject({ granted: true, headSha: head, commitSha: granted });

    // Red again: the one granted attempt is spent, so the fixer stops again without asking the LLM.
    await w.check(granted, 'lint', 'failure', lintLog(9));
    await w.until(
      () => w.snapshot()?.stage === 'needs-person' && w.snapshot()?.ciFix?.headSha === granted,
      'stopped again',
    );
    expect(w.anthropic.requests).toHaveLength(4);
    await w.until(() => w.thread().filter((t) => t.includes('CI fixer stopped')).length === 2, 'two stop notes');
    expect(w.thread().filter((t) => t.includes('litellm/app.py was patched 4 times'))).toHaveLength(1);
    const commits = (await w.github.git(FORK, ['log', '--format=%s', `${await w.head()}`, '-n', '4']))
      .trim()
      .split('\n');
    expect(commits.every((c) => c.startsWith('fix(ci): '))).toBe(true);
    print('exhausted PR: thread', [w.cardText(), ...w.thread()]);
  }, 240_000);

  it('webhook and polling reporting the same red commit → one attempt, one commit', async () => {
    const w = await ciFixWorld();
    const red = await w.head();
    w.anthropic.replyToolUse({
      patch: replaceDiff(APP, APP_AT_TAG, `${APP_AT_TAG}undefined_name = 0\n`),
      summary: 'define undefined_name',
      rationale: 'ruff F821.',
    });
    await w.check(red, 'lint', 'failure', lintLog());
    // What the webhook receiver does (nudge the watcher) and what a second process's webhook
    // would enqueue, while the 50 ms poll runs too.
    for (let i = 0; i < 5; i++) w.bot.ciWatcher.checkSoon('litellm', w.pr);
    const p = w.config.pipelines[0]! as Parameters<typeof ciFixJobInput>[0];
    await w.services.runner.enqueue(
      ciFixJobInput(p, { pr: w.pr, headSha: red }, { kind: 'webhook', id: 'github', via: 'check_suite:1' }),
    );
    const fixed = await w.movedFrom(red);
    while ((await w.services.runner.list({ kind: 'ci-fix', states: ['queued', 'running'] })).length > 0)
      await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 5; i++) w.bot.ciWatcher.checkSoon('litellm', w.pr);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.attempts()).toHaveLength(1);
    expect(w.anthropic.requests).toHaveLength(1);
    expect((await w.github.git(FORK, ['rev-list', '--count', `${red}..${await w.head()}`])).trim()).toBe('1');
    expect(await w.head()).toBe(fixed);
  }, 240_000);
});
