import type { GitHubSandbox } from '../sandbox/github/github-sandbox.js';
import type { RepoState } from '../sandbox/github/state.js';
import type { DemoWorld } from './demo-world.js';

// What the page shows, read from the stand-ins (never from the bot): Slack's channels, messages,
// ephemeral messages, open modals and App Home views; GitHub's repositories with their branches,
// tags, releases and pull requests. Nothing here knows a pipeline kind: it is whatever the bot did.

export interface RefInfo {
  name: string;
  sha: string;
  subject: string;
  date: string;
}

export interface PullInfo {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedBy: string | null;
  mergeCommit: { sha: string; parents: string[] } | null;
  head: string;
  headSha: string;
  base: string;
  user: string;
  labels: string[];
  body: string | null;
  comments: Array<{ user: string; body: string; createdAt: string }>;
  checks: Array<{ name: string; status: string; conclusion: string | null; kind: 'check' | 'status' }>;
  createdAt: string;
}

export interface RepoInfo {
  fullName: string;
  parent: string | null;
  defaultBranch: string;
  branches: RefInfo[];
  tags: RefInfo[];
  releases: Array<{
    tag: string;
    name: string | null;
    body: string | null;
    prerelease: boolean;
    draft: boolean;
    publishedAt: string | null;
    author: string;
  }>;
  pulls: PullInfo[];
  /** The page offers "publish a new stable release" here. */
  canPublish: boolean;
}

export interface DemoState {
  llm: DemoWorld['llm'];
  channel: DemoWorld['channel'];
  people: DemoWorld['people'];
  slack: {
    channels: Array<{ id: string; name: string }>;
    messages: Array<{
      channel: string;
      ts: string;
      threadTs: string | null;
      text: string;
      blocks: unknown[] | null;
      attachments: unknown[] | null;
      edits: number;
    }>;
    ephemerals: Array<{
      channel: string;
      user: string;
      ts: string;
      threadTs: string | null;
      text: string;
      blocks: unknown[] | null;
    }>;
    modals: Record<string, Array<{ id: string; view: Record<string, unknown> }>>;
    homes: Record<string, { id: string; view: Record<string, unknown> } | null>;
  };
  github: { repos: RepoInfo[] };
}

/** A cheap summary that changes whenever either stand-in served something (then the page is rebuilt). */
export function fingerprint(world: DemoWorld): string {
  const { slack, github } = world;
  return [
    slack.calls.length,
    slack.state.ephemerals.length,
    slack.state.views.size,
    github.requests.length,
    github.deliveries.length,
  ].join(':');
}

export async function demoState(world: DemoWorld): Promise<DemoState> {
  const { slack } = world;
  const state = slack.state;
  const people = world.people.map((p) => p.id);
  return {
    llm: world.llm,
    channel: world.channel,
    people: world.people,
    slack: {
      channels: [...state.channels.values()]
        .filter((c) => !c.id.startsWith('D'))
        .map((c) => ({ id: c.id, name: c.name })),
      messages: state.messages
        .filter((m) => !m.deleted)
        .map((m) => ({
          channel: m.channel,
          ts: m.ts,
          threadTs: m.threadTs && m.threadTs !== m.ts ? m.threadTs : null,
          text: m.text,
          blocks: m.blocks ?? null,
          attachments: m.attachments ?? null,
          edits: m.history.length,
        })),
      ephemerals: state.ephemerals.map((e) => ({
        channel: e.channel,
        user: e.user,
        ts: e.ts,
        threadTs: e.threadTs ?? null,
        text: e.text,
        blocks: e.blocks ?? null,
      })),
      modals: Object.fromEntries(people.map((u) => [u, slack.openModals(u).map((v) => ({ id: v.id, view: v.view }))])),
      homes: Object.fromEntries(
        people.map((u) => {
          const home = slack.homeView(u);
          return [u, home ? { id: home.id, view: home.view } : null];
        }),
      ),
    },
    github: {
      repos: await Promise.all(
        world.github.repositories().map((r) => repoInfo(world.github, r, r.fullName in world.publishers)),
      ),
    },
  };
}

const SEP = '\u001f';

async function refs(github: GitHubSandbox, repo: string, prefix: string): Promise<RefInfo[]> {
  const out = await github.git(repo, [
    'for-each-ref',
    '--sort=-creatordate',
    `--format=%(refname:strip=2)${SEP}%(objectname)${SEP}%(*objectname)${SEP}%(subject)${SEP}%(creatordate:iso-strict)`,
    prefix,
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', sha = '', peeled = '', subject = '', date = ''] = line.split(SEP);
      return { name, sha: peeled || sha, subject, date };
    });
}

async function parentsOf(github: GitHubSandbox, repo: string, sha: string): Promise<string[]> {
  const out = await github.git(repo, ['rev-list', '--parents', '-n', '1', sha]).catch(() => '');
  return out.trim().split(/\s+/).slice(1);
}

async function repoInfo(github: GitHubSandbox, repo: RepoState, canPublish: boolean): Promise<RepoInfo> {
  const [branches, tags] = await Promise.all([
    refs(github, repo.fullName, 'refs/heads/'),
    refs(github, repo.fullName, 'refs/tags/'),
  ]);
  const heads = new Map(branches.map((b) => [b.name, b.sha]));
  const pulls = await Promise.all(
    [...repo.pulls]
      .sort((a, b) => b.number - a.number)
      .map(async (p): Promise<PullInfo> => {
        const headSha = (p.state === 'open' ? heads.get(p.headRef) : undefined) ?? p.headSha;
        return {
          number: p.number,
          title: p.title,
          state: p.state,
          merged: p.merged,
          mergedBy: p.mergedBy,
          mergeCommit: p.mergeCommitSha
            ? { sha: p.mergeCommitSha, parents: await parentsOf(github, repo.fullName, p.mergeCommitSha) }
            : null,
          head: p.headRef,
          headSha,
          base: p.baseRef,
          user: p.user,
          labels: [...p.labels],
          body: p.body,
          comments: repo.comments
            .filter((c) => c.issue === p.number)
            .map((c) => ({ user: c.user, body: c.body, createdAt: c.createdAt })),
          checks: [
            ...repo.checkRuns
              .filter((c) => c.headSha === headSha)
              .map((c) => ({ name: c.name, status: c.status, conclusion: c.conclusion, kind: 'check' as const })),
            ...repo.statuses
              .filter((s) => s.sha === headSha)
              .map((s) => ({ name: s.context, status: 'completed', conclusion: s.state, kind: 'status' as const })),
          ],
          createdAt: p.createdAt,
        };
      }),
  );
  return {
    fullName: repo.fullName,
    parent: repo.parent,
    defaultBranch: repo.defaultBranch,
    branches,
    tags,
    releases: [...repo.releases]
      .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))
      .map((r) => ({
        tag: r.tag,
        name: r.name,
        body: r.body,
        prerelease: r.prerelease,
        draft: r.draft,
        publishedAt: r.publishedAt,
        author: r.author,
      })),
    pulls,
    canPublish,
  };
}
