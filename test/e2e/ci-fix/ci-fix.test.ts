import { describe, expect, it } from 'vitest';
import { FORK } from '../../pipelines/release-sync/harness.js';
import { ALICE } from '../slack-world.js';
import { APP, APP_AT_TAG, ciFixWorld, lintLog, replaceDiff } from './ci-fix-world.js';

// The CI fixer end to end: a red check on the sync PR's head → one propose_patch request → one
// fix(ci) commit pushed as a fast-forward → thread reply and PR comment → green → ready. And
// every way it refuses or stops, with the card telling the truth each time.

const FIXED = 'a = 1\nb = 2\nc = 3\nundefined_name = 0\nd = undefined_name\n';
const proposal = (patch: string, summary = 'define undefined_name before litellm/app.py uses it') => ({
  patch,
  summary,
  rationale: 'ruff reports F821 for undefined_name on line 4 of litellm/app.py; defining it first fixes the lint job.',
});
const print = (title: string, lines: string[]) => {
  if (process.env.PRINT_THREADS) console.log(`\n===== ${title} =====\n${lines.join('\n-----\n')}\n`);
};

describe('CI fixer', () => {
  it('red → patch → green → ready: one fix(ci) commit by the bot, a thread reply and a PR comment', async () => {
    const w = await ciFixWorld();
    const red = await w.head();
    w.anthropic.replyToolUse(proposal(replaceDiff(APP, APP_AT_TAG, FIXED)));
    await w.check(red, 'lint', 'failure', lintLog());
    const fixed = await w.movedFrom(red);

    // One commit on top of the red head (a fast-forward), by the bot, titled fix(ci): …
    expect(await w.github.git(FORK, ['rev-list', '--parents', '-n', '1', fixed])).toBe(`${fixed} ${red}\n`);
    const [subject, author] = (await w.github.git(FORK, ['log', '-1', '--format=%s%n%an <%ae>', fixed])).split('\n');
    expect(subject).toBe('fix(ci): define undefined_name before litellm/app.py uses it');
    expect(author).toBe('Cartofante <cartofante@carto.com>');
    expect(await w.file(fixed, APP)).toBe(FIXED);

    // The model got one forced tool, the trimmed log (not the noise) and the changed files.
    const [request, ...more] = w.anthropic.requests;
    expect(more).toEqual([]);
    expect(request!.body.tools!.map((t) => t.name)).toEqual(['propose_patch']);
    expect(request!.body.tool_choice).toMatchObject({ type: 'tool', name: 'propose_patch' });
    const prompt = JSON.stringify(request!.body.messages);
    expect(prompt).toContain('F821 error: Undefined name');
    expect(prompt).not.toContain('package-10==');
    expect(prompt).toContain(APP);

    const fixerComments = () => w.github.comments(FORK, w.pr).filter((c) => c.body.includes('CI fixer'));
    await w.until(() => fixerComments().length > 0, 'the PR comment');
    await w.until(() => w.snapshot()?.ciFix?.state === 'pushed', 'the card at pushed');
    const comments = fixerComments();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('attempt 1 of 3');
    expect(comments[0]!.body).toContain('+undefined_name = 0');
    await w.until(() => w.snapshot()?.ciFix?.state === 'pushed', 'the card at pushed');
    await w.until(
      () => w.cardText().includes('CI fixer attempt 1 of 3 is pushed'),
      'CI fixer attempt 1 of 3 is pushed',
    );

    await w.check(fixed, 'lint', 'success');
    await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
    expect(w.attempts()).toMatchObject([
      { outcome: 'pushed', headSha: red, commitSha: fixed, paths: [APP], n: 1, of: 3 },
    ]);
    await w.until(() => w.thread().some((t) => t.includes('is ready to merge')), 'the ready reply');
    const thread = w.thread();
    expect(thread.some((t) => t.includes('CI fixer, attempt 1 of 3: pushed'))).toBe(true);
    print('fixed PR: thread', [w.cardText(), ...thread]);
  }, 240_000);

  it('a red check in a file the sync did not change is a pre-existing note, no LLM call', async () => {
    const w = await ciFixWorld();
    const red = await w.head();
    await w.check(
      red,
      'tests',
      'failure',
      'tests/test_router.py:12: AssertionError: expected 2 got 3\nFAILED tests/test_router.py::test_x',
    );
    await w.until(() => w.snapshot()?.ciFix?.state === 'pre-existing', 'the pre-existing note on the card');
    await w.until(() => w.thread().some((t) => t.includes('looks pre-existing or flaky')), 'the thread note');
    expect(w.anthropic.requests).toEqual([]);
    expect(await w.head()).toBe(red);
    await w.until(() => w.cardText().includes('no fix was proposed'), 'no fix was proposed');
    expect(w.attempts()).toMatchObject([{ outcome: 'pre-existing' }]);
  }, 240_000);

  it('a check that also fails on the production branch is pre-existing too', async () => {
    const w = await ciFixWorld();
    const red = await w.head();
    await w.check((await w.github.branchSha(FORK, 'carto/main'))!, 'lint', 'failure', lintLog());
    await w.check(red, 'lint', 'failure', lintLog());
    await w.until(() => w.snapshot()?.ciFix?.state === 'pre-existing', 'the pre-existing note on the card');
    expect(w.snapshot()?.ciFix?.message).toContain("production branch's last run");
    expect(w.anthropic.requests).toEqual([]);
  }, 240_000);

  it.each([
    [
      'does not apply',
      {},
      () => replaceDiff(APP, 'a = 1\nb = 2\nc = 3\nd = something_else\n', FIXED),
      'does-not-apply',
    ],
    [
      'touches .github/workflows/',
      {},
      () => replaceDiff('.github/workflows/ci.yml', 'on: push\n', 'on: []\n'),
      'path-denied',
    ],
    [
      'is too large',
      { maxPatchLines: 20 },
      () => replaceDiff(APP, APP_AT_TAG, Array.from({ length: 30 }, (_, i) => `x${i} = ${i}`).join('\n')),
      'too-large',
    ],
  ])(
    'a patch that %s is refused, the reason posted, nothing pushed',
    async (_name, fixer, patch, reason) => {
      const w = await ciFixWorld(fixer);
      const red = await w.head();
      w.anthropic.replyToolUse(proposal(patch()));
      await w.check(red, 'lint', 'failure', lintLog());
      await w.until(() => w.snapshot()?.stage === 'needs-person', 'the card at needs-person');
      expect(w.snapshot()?.ciFix).toMatchObject({ state: 'refused', reason });
      await w.until(() => w.thread().some((t) => t.includes(`was refused (${reason})`)), 'the refusal in the thread');
      await w.until(() => w.cardText().includes('Try the CI fixer again'), 'Try the CI fixer again');
      expect(await w.head()).toBe(red);
      expect(w.attempts()).toMatchObject([{ outcome: 'refused', refused: { reason } }]);
      expect(w.github.comments(FORK, w.pr).filter((c) => c.body.includes('CI fixer'))).toEqual([]);
    },
    240_000,
  );

  it('the LLM down (429, then 529) → the card says so, nothing breaks, the button tries again', async () => {
    const w = await ciFixWorld();
    const red = await w.head();
    w.anthropic.rateLimit({ retryAfterSeconds: 0 });
    w.anthropic.overloaded({ retryAfterSeconds: 0 });
    await w.check(red, 'lint', 'failure', lintLog());
    await w.until(() => w.snapshot()?.ciFix?.state === 'llm-unavailable', 'the outage on the card');
    await w.until(() => w.cardText().includes('could not reach the LLM'), 'could not reach the LLM');
    expect(w.snapshot()?.stage).toBe('ci');
    await w.until(() => w.thread().some((t) => t.includes('the LLM did not answer')), 'the outage note');
    expect(await w.head()).toBe(red);
    expect(w.attempts()).toMatchObject([{ outcome: 'llm-unavailable' }]);
    const failed = await w.services.runner.list({ kind: 'ci-fix', states: ['failed'] });
    expect(failed).toEqual([]);

    w.anthropic.replyToolUse(proposal(replaceDiff(APP, APP_AT_TAG, FIXED)));
    await w.press(ALICE, 'Try the CI fixer again');
    const fixed = await w.movedFrom(red);
    expect(await w.file(fixed, APP)).toBe(FIXED);
  }, 240_000);
});
