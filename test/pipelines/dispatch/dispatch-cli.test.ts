import { describe, expect, it } from 'vitest';
import { cliWorld, type CliWorld } from '../../e2e/sync/cli-process.js';

// kind: dispatch through the real CLI process against the GitHub stand-in with real repositories:
// a monorepo whose features are delivered to the "cousin" repositories subscribed to them.

const SOURCE = 'anomalyco/web-dev-ecosystem';
const FLASK = 'user/cousin-flask-webpush';
const REACT = 'user/cousin-react-webpush';
const VUE = 'user/cousin-vue-webpush';

const CONFIG = `
git:
  author: { name: Dispatch Bot, email: dispatch@example.com }
pipelines:
  - id: ecosystem
    kind: dispatch
    source: { repo: ${SOURCE}, branch: main }
    subscribers:
      - repo: ${FLASK}
        subscriptions: ['features/webpush/flask']
      - repo: ${REACT}
        subscriptions: ['features/webpush/react']
        mode: pull-request
        pathMap: { 'features/webpush/react': 'src/webpush' }
        labels: [automated, upstream-sync]
    subscribersFile: ecosystem.json
`;

async function world(config = CONFIG): Promise<CliWorld> {
  const w = await cliWorld({ config, seed: false });
  await w.sandbox.createRepo(SOURCE);
  await w.sandbox.pushCommit(SOURCE, {
    branch: 'main',
    message: 'monorepo',
    files: {
      'features/webpush/flask/app.py': 'flask = 1\n',
      'features/webpush/react/index.js': 'export const react = 1;\n',
      'features/webpush/react/old.js': 'old\n',
      'features/webpush/vue/main.js': 'vue = 1\n',
      'docs/readme.md': 'docs\n',
      'ecosystem.json': JSON.stringify([{ repo: VUE, subscriptions: ['features/webpush/vue'] }]),
    },
  });
  for (const repo of [FLASK, REACT, VUE]) {
    await w.sandbox.createRepo(repo);
    await w.sandbox.pushCommit(repo, { branch: 'main', message: 'cousin', files: { 'README.md': `${repo}\n` } });
  }
  return w;
}

const sync = (w: CliWorld, ...extra: string[]) => w.run(['sync', '--config', w.configFile, '--json', ...extra]);
const change = (w: CliWorld, files: Record<string, string | null>, message = 'change') =>
  w.sandbox.pushCommit(SOURCE, { branch: 'main', message, files });

// Several real CLI processes per test: generous time, never asserted on.
describe('dispatch pipelines (real process, GitHub stand-in)', { timeout: 300_000 }, () => {
  it('records a baseline first, then delivers a change only to its subscriber, with the payload', async () => {
    const w = await world();
    const base = await sync(w);
    expect(base.code).toBe(0);
    const baseSha = await w.sandbox.branchSha(SOURCE, 'main');
    expect(base.json).toEqual([
      {
        pipeline: 'ecosystem',
        kind: 'dispatch',
        outcome: 'baseline',
        from: null,
        to: baseSha,
        deliveries: [],
        dryRun: false,
      },
    ]);
    expect(w.sandbox.dispatches).toEqual([]);

    const head = await change(w, { 'features/webpush/flask/app.py': 'flask = 2\n', 'docs/readme.md': 'more docs\n' });
    const run = await sync(w);
    expect(run.code).toBe(0);
    expect(run.json[0]).toMatchObject({
      outcome: 'delivered',
      from: baseSha,
      to: head,
      deliveries: [
        {
          subscriber: FLASK,
          feature: 'features/webpush/flask',
          mode: 'dispatch',
          result: 'dispatched',
          pr: null,
          error: null,
        },
      ],
    });
    expect(w.sandbox.dispatches).toEqual([
      {
        repo: FLASK,
        kind: 'repository',
        name: 'feature-update',
        ref: null,
        payload: {
          updated_feature: 'features/webpush/flask',
          commit_sha: head,
          source_repo: SOURCE,
          changed_paths: ['features/webpush/flask/app.py'],
          idempotency_key: expect.stringMatching(/^us-[0-9a-f]{24}$/),
        },
        by: expect.any(String),
      },
    ]);

    // Same head again: nothing twice.
    const again = await sync(w);
    expect(again.json[0]).toMatchObject({ outcome: 'up-to-date', from: head, to: head, deliveries: [] });
    expect(w.sandbox.dispatches).toHaveLength(1);
    expect(w.sandbox.mutatingRequests()).toHaveLength(1);

    // A change nobody subscribes to delivers nothing.
    await change(w, { 'docs/readme.md': 'even more docs\n' });
    expect((await sync(w)).json[0]).toMatchObject({ outcome: 'up-to-date', deliveries: [] });
    expect(w.sandbox.dispatches).toHaveLength(1);
  });

  it('opens a PR with the mapped directory, updates it in place later, and opens none when it matches', async () => {
    const w = await world();
    await sync(w);
    await change(w, {
      'features/webpush/react/index.js': 'export const react = 2;\n',
      'features/webpush/react/old.js': null,
    });
    const first = await sync(w);
    expect(first.json[0]).toMatchObject({
      outcome: 'delivered',
      deliveries: [
        { subscriber: REACT, mode: 'pull-request', result: 'pr-created', pr: { number: expect.any(Number) } },
      ],
    });
    const number = (first.json[0]!.deliveries as Array<{ pr: { number: number } }>)[0]!.pr.number;
    const pr = w.sandbox.pull(REACT, number);
    expect(pr).toMatchObject({ title: 'Update from upstream: features/webpush/react', baseRef: 'main' });
    expect(pr.labels).toEqual(expect.arrayContaining(['automated', 'upstream-sync']));
    const branch = 'upstream-dispatch/features-webpush-react';
    expect(await w.sandbox.git(REACT, ['show', `${branch}:src/webpush/index.js`])).toBe('export const react = 2;\n');
    expect(await w.sandbox.git(REACT, ['ls-tree', '-r', '--name-only', branch])).toBe(
      'README.md\nsrc/webpush/index.js\n',
    );
    const firstHead = await w.sandbox.branchSha(REACT, branch);

    await change(w, { 'features/webpush/react/new.js': 'new\n' });
    const second = await sync(w);
    expect(second.json[0]).toMatchObject({ deliveries: [{ result: 'pr-updated', pr: { number } }] });
    const secondHead = (await w.sandbox.branchSha(REACT, branch)) as string;
    // Updated in place: a new commit on top of the old head, never a force push.
    expect(await w.sandbox.git(REACT, ['rev-parse', `${secondHead}^`])).toBe(`${firstHead}\n`);
    expect(w.sandbox.pulls(REACT).filter((p) => p.state === 'open')).toHaveLength(1);

    // A subscriber whose directory already matches gets no PR.
    const w2 = await world();
    await w2.sandbox.pushCommit(REACT, {
      branch: 'main',
      message: 'already there',
      files: { 'src/webpush/index.js': 'export const react = 1;\n', 'src/webpush/old.js': 'old\n' },
    });
    await sync(w2);
    await change(w2, { 'features/webpush/react/index.js': 'export const react = 1;\n', 'docs/x.md': 'x\n' });
    await w2.run([
      'sync',
      '--config',
      w2.configFile,
      '--json',
      '--since',
      (await w2.sandbox.git(SOURCE, ['rev-parse', 'main~1'])).trim(),
    ]);
    expect(w2.sandbox.pulls(REACT)).toEqual([]);
  });

  it('reads subscribers from the source and, when one fails, delivers the others and retries only it', async () => {
    const w = await world();
    await sync(w);
    await w.sandbox.pushCommit(SOURCE, {
      branch: 'main',
      message: 'a cousin that does not exist yet',
      files: {
        'ecosystem.json': JSON.stringify([
          { repo: VUE, subscriptions: ['features/webpush/vue'] },
          { repo: 'user/cousin-missing', subscriptions: ['features/webpush/flask'] },
        ]),
        'features/webpush/flask/app.py': 'flask = 3\n',
        'features/webpush/vue/main.js': 'vue = 2\n',
      },
    });
    const run = await sync(w);
    expect(run.code).toBe(1);
    expect(run.json[0]).toMatchObject({ outcome: 'partial' });
    const results = (
      run.json[0]!.deliveries as Array<{ subscriber: string; result: string; error: string | null }>
    ).map((d) => [d.subscriber, d.result]);
    expect(results).toEqual([
      [FLASK, 'dispatched'],
      [VUE, 'dispatched'],
      ['user/cousin-missing', 'failed'],
    ]);
    expect(w.sandbox.dispatches.map((d) => d.repo)).toEqual([FLASK, VUE]);
    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect(status.json[0]).toMatchObject({
      kind: 'dispatch',
      state: 'failing',
      failing: [{ subscriber: 'user/cousin-missing' }],
    });

    await w.sandbox.createRepo('user/cousin-missing');
    await w.sandbox.pushCommit('user/cousin-missing', { branch: 'main', message: 'now', files: { 'a.txt': 'a\n' } });
    const retry = await sync(w);
    expect(retry.code).toBe(0);
    expect(retry.json[0]).toMatchObject({
      outcome: 'delivered',
      deliveries: [{ subscriber: 'user/cousin-missing', result: 'dispatched' }],
    });
    expect(w.sandbox.dispatches.map((d) => d.repo)).toEqual([FLASK, VUE, 'user/cousin-missing']);
  });

  it('dry run lists who would receive what with zero mutating requests; --since must be on the branch', async () => {
    const w = await world();
    await sync(w);
    await change(w, { 'features/webpush/flask/app.py': 'f\n', 'features/webpush/react/index.js': 'r\n' });
    const before = w.sandbox.mutatingRequests().length;
    const dry = await sync(w, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.json[0]).toMatchObject({
      outcome: 'delivered',
      dryRun: true,
      deliveries: [
        { subscriber: FLASK, result: 'dispatched' },
        { subscriber: REACT, result: 'pr-created' },
      ],
    });
    expect(w.sandbox.mutatingRequests()).toHaveLength(before);
    expect(w.sandbox.dispatches).toEqual([]);

    await w.sandbox.pushCommit(SOURCE, {
      branch: 'elsewhere',
      from: 'main',
      message: 'side',
      files: { 'x.txt': 'x\n' },
    });
    const foreign = (await w.sandbox.git(SOURCE, ['rev-parse', 'elsewhere'])).trim();
    const refused = await sync(w, '--since', foreign);
    expect(refused.code).toBe(2);
    expect(refused.json[0]).toMatchObject({ outcome: 'refused', refused: { reason: 'not-on-branch' } });
  });
});
