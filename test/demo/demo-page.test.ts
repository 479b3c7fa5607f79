import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { demoCommand } from '../../src/cli/demo.js';
import type { DemoPageState } from '../../src/demo/demo-server.js';
import { tempDir } from '../helpers/tmp.js';

// `upstream-sync demo` in a real browser (Debian's chromium, driven by playwright-core): the whole
// story clicked through the page as a person would, each step checked on the page and in what the
// stand-ins hold. Screenshots go to test-results/demo/.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/demo';
const STEP_MS = 45_000;
// CI installs chromium (.ci/install-chromium.sh) and must run this; elsewhere a missing browser skips it.
const RUN = existsSync(CHROMIUM) || process.env.CI !== undefined;

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function startDemo(): Promise<{ url: string; errors: string[]; printed: string[] }> {
  const stop = new AbortController();
  const errors: string[] = [];
  const printed: string[] = [];
  let ready: (url: string) => void = () => undefined;
  const readyAt = new Promise<string>((r) => (ready = r));
  const exit = demoCommand(
    { port: '0', open: false },
    { stdout: (l) => printed.push(l), stderr: (l) => errors.push(l) },
    { stop: stop.signal, onReady: ready, source: {} },
  );
  cleanup.push(async () => {
    stop.abort();
    expect(await exit).toBe(0);
  });
  const url = await Promise.race([
    readyAt,
    exit.then((code) => Promise.reject(new Error(`demo exited ${code}: ${errors.join('\n')}`))),
  ]);
  return { url, errors, printed };
}

async function browser(): Promise<Page> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium.sh (apt-get install chromium)`);
  const context: BrowserContext = await chromium.launchPersistentContext(await tempDir('demo-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 940 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanup.push(() => context.close());
  return context.pages()[0] ?? context.newPage();
}

describe('npm run demo in a browser', () => {
  it.skipIf(!RUN)(
    'walks the story: status, check, a sync PR a person finishes, CI, merge, release, and the next sync',
    async () => {
      await mkdir(SHOTS, { recursive: true });
      const { url, printed } = await startDemo();
      expect(printed).toEqual([url]);
      const page = await browser();
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      const state = async (): Promise<DemoPageState> =>
        (await (await fetch(`${url}api/state`)).json()) as DemoPageState;
      const shot = (name: string, target: Page | Locator = page) => target.screenshot({ path: `${SHOTS}/${name}.png` });
      const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: STEP_MS });
      const slack = page.locator('section.slack');
      const github = page.locator('section.github');
      const messages = page.locator('#messages');
      const say = async (text: string) => {
        await page.fill('#composer', text);
        await page.press('#composer', 'Enter');
      };
      const card = (tag: string) => messages.locator('.msg', { hasText: `upstream ${tag}` }).last();
      const button = (root: Locator, name: string) => root.getByRole('button', { name, exact: true });
      const confirm = async () => {
        await visible(page.locator('#confirm .confirm-ok'));
        await page.click('#confirm .confirm-ok');
      };

      await page.goto(url);
      await visible(page.locator('#live', { hasText: 'live' }));
      await visible(page.locator('#llm', { hasText: 'scripted stand-in' }));
      await visible(page.locator('#usage', { hasText: 'status | check | sync [tag]' }));

      // status and check: ephemeral answers, only for "you".
      await say('/upstream-sync status');
      await visible(messages.locator('.msg-ephemeral', { hasText: 'Latest upstream stable' }));
      await say('/upstream-sync check');
      await visible(messages.locator('.msg-ephemeral', { hasText: 'would sync v1.81.0-stable' }));
      await shot('01-status-and-check', slack);

      // Bob is on no allow-list: the bot refuses him, and only he sees it.
      await page.selectOption('#you', { label: 'Bob (on no allow-list)' });
      await expect.poll(() => messages.locator('.msg-ephemeral').count()).toBe(0);
      await say('/upstream-sync sync');
      await visible(messages.locator('.msg-ephemeral', { hasText: 'You may not' }));
      await shot('02-refused-for-bob', slack);
      await page.selectOption('#you', { label: 'Alice (on every allow-list)' });

      // The sync: a PR whose conflicts rule, strategy, memory and the LLM decide, one hunk waiting.
      await say('/upstream-sync sync');
      const first = card('v1.81.0-stable');
      await visible(first.getByText('Needs a person'));
      await visible(first.getByText('1 by rule, 1 structured, 1 by memory, 1 by LLM'));
      const pr = github.locator('[data-pr="CartoDB/litellm#1"]');
      await visible(pr.locator('.label', { hasText: 'conflicts' }));
      await shot('03-sync-pr-needs-a-person');

      // The person decides in the thread; the confirm dialog comes first.
      await first.locator('.msg-replies').click();
      const thread = page.locator('#thread');
      const hunk = thread.locator('.msg', { hasText: 'litellm/utils.py' }).last();
      await button(hunk, 'Take fork').click();
      await visible(page.locator('#confirm', { hasText: 'Take fork?' }));
      await shot('04-take-fork-confirm', slack);
      await confirm();
      await visible(thread.locator('.msg-ephemeral', { hasText: 'Queued your choice (fork)' }));
      await visible(first.getByText('CI running'));

      // CI goes green on the GitHub side; the card offers the merge.
      await button(pr, 'Turn CI green').click();
      await visible(button(first, 'Approve & merge'));
      await shot('05-ci-green-ready');
      await button(first, 'Approve & merge').click();
      await confirm();
      await visible(button(first, 'Release patch'));
      await visible(pr.locator('.merge-commit', { hasText: 'with 2 parents' }));
      const merged = (await state()).github.repos.find((r) => r.fullName === 'CartoDB/litellm')!.pulls[0]!;
      expect(merged).toMatchObject({ merged: true, state: 'closed' });
      expect(merged.mergeCommit?.parents).toHaveLength(2);
      await shot('06-merged');

      // Release patch: the preview modal, then the tag and the GitHub release.
      await button(first, 'Release patch').click();
      const modal = page.locator('#modal');
      await visible(modal.getByText('v1.81.0-carto.1.0.1'));
      await shot('07-release-preview', slack);
      await modal.locator('.modal-submit').click();
      const fork = github.locator('[data-repo="CartoDB/litellm"]');
      await visible(fork.locator('.tag:not(.tag-bare)', { hasText: 'v1.81.0-carto.1.0.1' }));
      await visible(first.getByText('Released'));
      await thread.locator('#thread-close').click();
      await shot('08-released');
      await shot('channel', slack);

      // Upstream publishes a newer stable release; the next sync picks it up.
      const upstream = github.locator('[data-repo="BerriAI/litellm"]');
      await button(upstream, 'Publish a new stable release').click();
      await visible(upstream.locator('.tag', { hasText: 'v1.82.0-stable' }));
      await say('/upstream-sync sync');
      const next = card('v1.82.0-stable');
      await visible(next.locator('a', { hasText: '#2' }));
      await visible(github.locator('[data-pr="CartoDB/litellm#2"]'));
      // CI turns red on the new PR: the card says so.
      await button(github.locator('[data-pr="CartoDB/litellm#2"]'), 'Turn CI red').click();
      await visible(next.getByText('1 of 1 failing'));
      await shot('09-next-sync-ci-red');

      // App Home, for "you".
      await page.getByRole('button', { name: 'upstream-sync · Home' }).click();
      await visible(page.locator('.home', { hasText: 'litellm' }));
      await shot('10-app-home', slack);

      const s = await state();
      expect(s.github.repos.find((r) => r.fullName === 'CartoDB/litellm')!.releases.map((r) => r.tag)).toContain(
        'v1.81.0-carto.1.0.1',
      );
      expect(pageErrors).toEqual([]);
    },
    300_000,
  );
});
