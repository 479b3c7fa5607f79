import type { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';

// The generated organisation of the scale bench: small upstream repositories, each followed by
// up to ten pipelines of every kind (release-sync forks, branch-sync forks, mirrors, dispatch
// subscribers). The pipelines the active round changes follow an upstream of their own, so a
// change there is new for exactly one pipeline.

export type Kind = 'release-sync' | 'branch-sync' | 'mirror' | 'dispatch';
const KINDS: Kind[] = ['release-sync', 'release-sync', 'branch-sync', 'mirror', 'dispatch'];
const GROUP = 10;

export interface GeneratedPipeline {
  id: string;
  kind: Kind;
  upstream: string;
  active: boolean;
}

export interface Generated {
  config: { git: { author: { name: string; email: string } }; pipelines: Record<string, unknown>[] };
  pipelines: GeneratedPipeline[];
  kinds: Map<Kind, number>;
  repos: number;
  /** The pipelines given something new in the active round (fixed at generation). */
  pickActive(share: number): GeneratedPipeline[];
}

const pyproject = (version: string) => `[tool.poetry]\nname = "lib"\nversion = "${version}"\n`;

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function createUpstream(sandbox: GitHubSandbox, repo: string): Promise<void> {
  await sandbox.createRepo(repo);
  await sandbox.pushCommit(repo, {
    branch: 'main',
    message: 'release 1.0.0',
    files: {
      'pyproject.toml': pyproject('1.0.0'),
      'README.md': `${repo}\n`,
      'src/app.py': 'a = 1\nb = 2\n',
      'features/a/x.py': 'x = 1\n',
      'features/b/y.py': 'y = 1\n',
    },
  });
  await sandbox.addRelease(repo, { tag: 'v1.0.0', target: 'main', publishedAt: '2026-01-01T00:00:00Z' });
}

export async function generatePipelines(sandbox: GitHubSandbox, count: number, activeShare = 0.05): Promise<Generated> {
  const kinds = new Map<Kind, number>();
  const pipelines: GeneratedPipeline[] = [];
  const activeCount = Math.round(count * activeShare);
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    pipelines.push({ id: `p${String(i).padStart(4, '0')}`, kind, upstream: '', active: false });
  }
  // Active pipelines: spread over the list (so every kind gets its share), each on its own upstream.
  const step = count / Math.max(activeCount, 1);
  for (let k = 0; k < activeCount; k++) pipelines[Math.floor(k * step + k) % count]!.active = true;
  let group = 0;
  let inGroup = GROUP;
  let shared = '';
  const upstreams: string[] = [];
  for (const p of pipelines) {
    if (p.active) {
      p.upstream = `solo/lib-${p.id}`;
      upstreams.push(p.upstream);
      continue;
    }
    if (inGroup === GROUP) {
      shared = `up/lib-${group++}`;
      upstreams.push(shared);
      inGroup = 0;
    }
    p.upstream = shared;
    inGroup += 1;
  }
  await inParallel(upstreams, 4, (repo) => createUpstream(sandbox, repo));
  await inParallel(pipelines, 4, async (p) => {
    switch (p.kind) {
      case 'release-sync':
        await sandbox.createRepo(`fork/${p.id}`, { forkOf: p.upstream });
        await sandbox.pushCommit(`fork/${p.id}`, {
          branch: 'carto/main',
          from: 'main',
          message: 'feat: fork feature',
          files: { 'fork.py': 'f = 1\n' },
        });
        return;
      case 'branch-sync':
        await sandbox.createRepo(`fork/${p.id}`, { forkOf: p.upstream });
        await sandbox.pushCommit(`fork/${p.id}`, {
          branch: 'dev',
          from: 'main',
          message: 'feat: fork feature',
          files: { 'fork.py': 'f = 1\n' },
        });
        return;
      case 'mirror':
        await sandbox.createRepo(`mirror/${p.id}`, { forkOf: p.upstream });
        return;
      case 'dispatch':
        await sandbox.createRepo(`sub/${p.id}`);
        await sandbox.pushCommit(`sub/${p.id}`, { branch: 'main', message: 'app', files: { 'README.md': 'app\n' } });
        return;
    }
  });
  return {
    config: {
      git: { author: { name: 'Scale Bot', email: 'bot@scale.test' } },
      pipelines: pipelines.map(pipelineConfig),
    },
    pipelines,
    kinds,
    repos: upstreams.length + pipelines.length,
    pickActive: () => pipelines.filter((p) => p.active),
  };
}

function pipelineConfig(p: GeneratedPipeline): Record<string, unknown> {
  switch (p.kind) {
    case 'release-sync':
      return {
        id: p.id,
        upstream: { repo: p.upstream, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)$' },
        fork: { repo: `fork/${p.id}`, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
      };
    case 'branch-sync':
      return {
        id: p.id,
        kind: 'branch-sync',
        upstream: { repo: p.upstream, branch: 'main' },
        fork: { repo: `fork/${p.id}`, syncBranch: 'sync/upstream', targetBranch: 'dev' },
      };
    case 'mirror':
      return {
        id: p.id,
        kind: 'mirror',
        source: { repo: p.upstream, branch: 'main' },
        target: { repo: `mirror/${p.id}`, branch: 'main' },
      };
    case 'dispatch':
      return {
        id: p.id,
        kind: 'dispatch',
        source: { repo: p.upstream, branch: 'main' },
        subscribers: [{ repo: `sub/${p.id}`, subscriptions: ['features/a'] }],
      };
  }
}

/** Something new for one (active) pipeline: a release, an upstream commit, a source change. */
export async function makeChange(sandbox: GitHubSandbox, _w: Generated, p: GeneratedPipeline): Promise<void> {
  if (p.kind === 'release-sync') {
    await sandbox.pushCommit(p.upstream, {
      branch: 'main',
      message: 'release 1.1.0',
      files: { 'pyproject.toml': pyproject('1.1.0'), 'src/new.py': 'n = 1\n' },
    });
    await sandbox.addRelease(p.upstream, { tag: 'v1.1.0', target: 'main', publishedAt: '2026-02-01T00:00:00Z' });
    return;
  }
  await sandbox.pushCommit(p.upstream, {
    branch: 'main',
    message: 'upstream change',
    files: { 'features/a/x.py': 'x = 2\n', 'src/app.py': 'a = 1\nb = 3\n' },
  });
}
