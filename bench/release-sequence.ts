import { pathToFileURL } from 'node:url';
import type { ReleaseNumbering } from '../src/core/release/next-version.js';
import { planNextRelease, releaseBase } from '../src/core/release/plan-next-release.js';
import type { ReleaseCommit } from '../src/core/release/release-changes.js';

// Replays CARTO's real release sequence (reference §7, "Tag formats seen in this repo") through
// the release core and prints the tags the bot would produce, in the live and the documented
// format. Commits between releases are not all in the reference: each step lists representative
// conventional commits that give the real step's kind of change (see `commits`).
//
//   npx tsx bench/release-sequence.ts [--json]

export interface SequenceStep {
  when: string;
  real: string;
  /** The version file on carto/main when the release was cut (1.81.6 was the contamination). */
  upstream: string;
  commits: string[];
  note?: string;
}

export const CARTO_SEQUENCE: SequenceStep[] = [
  {
    when: '2025-10-20',
    real: 'carto-v1.75.2-1.74.297',
    upstream: '1.75.2',
    commits: ['feat: CARTO proxy customisations'],
    note: 'first release',
  },
  {
    when: '2025-10',
    real: 'carto-v1.75.2-1.74.299',
    upstream: '1.75.2',
    commits: ['fix: prisma migration on start', 'chore: docs'],
  },
  { when: '2025-11', real: 'carto-v1.75.2-1.74.334', upstream: '1.75.2', commits: ['fix: MCP migration issue'] },
  {
    when: '2025-11',
    real: 'carto-v1.79.1-1.74.336',
    upstream: '1.79.1',
    commits: ['Merge upstream v1.79.1-stable', 'fix: keep Snowflake JWT after sync'],
    note: 'upstream sync',
  },
  {
    when: '2025-12-10',
    real: 'v1.79.1-carto.1.0.17',
    upstream: '1.79.1',
    commits: ['fix: azure token refresh'],
    note: 'live format starts',
  },
  { when: '2025-12', real: 'v1.79.1-carto.1.0.18', upstream: '1.79.1', commits: ['fix: OCI streaming chunk'] },
  { when: '2026-01', real: 'v1.79.1-carto.1.0.20', upstream: '1.79.1', commits: ['fix: a', 'chore: b'] },
  { when: '2026-01-26', real: 'v1.79.1-carto.1.0.27', upstream: '1.79.1', commits: ['fix: c'] },
  {
    when: '2026-02-12T01:21Z',
    real: 'v1.81.6-carto.1.18.3',
    upstream: '1.81.6',
    commits: ['feat: responses API for OCI', 'fix: d'],
    note: 'version file wrongly 1.81.6; releases in between are not in the reference',
  },
  {
    when: '2026-02-12T02:11Z',
    real: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.3',
    commits: ['fix: correct pyproject version to 1.81.3', 'fix: e', 'fix: f'],
    note: 're-tag after the correction',
  },
  {
    when: '2026-03-11',
    real: 'v1.81.9-carto.1.19.6',
    upstream: '1.81.9',
    commits: ['Merge upstream v1.81.9-stable', 'feat: g', 'chore: h', 'chore: i', 'fix: j'],
    note: 'CARTO sorted whole tags: counted from 1.18.3',
  },
];

export const LIVE: ReleaseNumbering = {
  tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}',
  legacyTagFormats: ['carto-v{upstream}-{major}.{minor}.{patch}'],
  resetOnUpstreamChange: false,
  firstVersion: '1.0.0',
};

export const DOCUMENTED: ReleaseNumbering = {
  tagFormat: 'carto-v{upstream}-{major}.{minor}.{patch}',
  legacyTagFormats: ['v{upstream}-carto.{major}.{minor}.{patch}'],
  resetOnUpstreamChange: true,
  firstVersion: '0.1.0',
};

const RULES = { syncLabel: 'upstream-sync', syncBranchPrefix: 'upstream-sync/', botAuthors: [] };

export interface SequenceRow {
  when: string;
  real: string;
  upstream: string;
  /** Previous release the bot chose (by ancestry). */
  previous: string | null;
  bump: string;
  tag: string;
}

/**
 * A linear carto/main: each step appends its commits and cuts a release with `auto`. With
 * `history: 'bot'` the bot's own tags accumulate (the bot from day one); with `history: 'real'`
 * the real tags do, so each row is "the bot's next tag given what CARTO really had".
 */
export function replaySequence(
  numbering: ReleaseNumbering,
  history: 'bot' | 'real',
  steps = CARTO_SEQUENCE,
): SequenceRow[] {
  const log: ReleaseCommit[] = [];
  const tags = new Map<string, number>();
  const rows: SequenceRow[] = [];
  for (const step of steps) {
    for (const subject of step.commits) {
      const merge = subject.startsWith('Merge');
      const sha = (log.length + 1).toString(16).padStart(40, '0');
      log.push({
        sha,
        parents: merge ? ['p', 'q'] : ['p'],
        subject,
        body: '',
        authorName: 'Ana',
        authorEmail: 'ana@carto.com',
      });
    }
    const head = log.length - 1;
    const reachableTags = [...tags].map(([name, at]) => ({ name, distance: head - at }));
    // Commits since the previous release, newest first, as the git cache would list them.
    const { previous } = releaseBase({ numbering, reachableTags });
    const since = previous ? head - previous.distance : -1;
    const final = planNextRelease({
      numbering,
      upstream: step.upstream,
      reachableTags,
      existingTags: [...tags.keys()],
      commits: log.slice(since + 1).reverse(),
      publishedHeadTags: [],
      pulls: [],
      rules: RULES,
      requested: 'auto',
    });
    if (final.kind !== 'ready')
      throw new Error(`${step.real}: ${final.kind === 'invalid' ? final.problem : 'already released'}`);
    const reset = final.next.reason === 'first-release' || final.next.reason === 'upstream-reset';
    rows.push({
      when: step.when,
      real: step.real,
      upstream: step.upstream,
      previous: final.previous?.name ?? null,
      bump: reset ? `${final.bump} (${final.next.reason})` : final.bump,
      tag: final.next.tag,
    });
    tags.set(history === 'bot' ? final.next.tag : step.real, head);
  }
  return rows;
}

/** What CARTO's script did: `git tag -l "v*-carto.*" | sort -V | tail -1`. */
export function sortVLatest(tags: readonly string[]): string | null {
  const live = tags.filter((t) => /^v.*-carto\./.test(t));
  return [...live].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1) ?? null;
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function main(): void {
  const liveBot = replaySequence(LIVE, 'bot');
  const docBot = replaySequence(DOCUMENTED, 'bot');
  const liveReal = replaySequence(LIVE, 'real');
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ live: liveBot, documented: docBot, nextFromRealHistory: liveReal })}\n`);
    return;
  }
  const out: string[] = [];
  out.push('## The bot from the first release (auto bump, one bump per release)', '');
  out.push(
    table(
      [
        'when',
        'CARTO tag',
        'version file',
        'changes',
        'auto bump',
        'live format',
        'documented format (reset, first 0.1.0)',
      ],
      CARTO_SEQUENCE.map((s, i) => [
        s.when,
        s.real,
        s.upstream,
        s.commits.join('; '),
        liveBot[i]!.bump,
        liveBot[i]!.tag,
        docBot[i]!.tag,
      ]),
    ),
  );
  out.push(
    '',
    'The documented format restarts at 0.1.0 whenever the version file changes (resetOnUpstreamChange: true).',
  );
  out.push('', "## The bot's next tag given CARTO's real tags at that moment (live format)", '');
  const realSoFar: string[] = [];
  out.push(
    table(
      ['when', 'previous by sort -V (CARTO)', 'previous by ancestry (bot)', 'bump', 'CARTO cut', 'bot would cut'],
      CARTO_SEQUENCE.map((s, i) => {
        const row = [
          s.when,
          sortVLatest(realSoFar) ?? '—',
          liveReal[i]!.previous ?? '—',
          liveReal[i]!.bump,
          s.real,
          liveReal[i]!.tag,
        ];
        realSoFar.push(s.real);
        return row;
      }),
    ),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
