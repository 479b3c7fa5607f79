import type { HunkRecord, WaitingHunk } from '../../ports.js';
import { plural } from '../plural.js';

// What people read about a resolution: the PR comment (per file, per hunk: layer, rule or
// strategy, rationale, confidence; the hunks still waiting with both sides), the merge commit's
// message, and the counts for the Slack card. Pure text builders.

export const DECISION_LOG_MARKER = '<!-- upstream-sync:resolver -->';

const LAYER_NAMES: Record<string, string> = {
  rule: 'path rule',
  structure: 'strategy',
  memory: 'memory',
  llm: 'LLM',
  person: 'person',
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters)`;
}

/** A fence longer than any backtick run in the text, so file content cannot break out of it. */
function fenced(text: string): string {
  const f = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${f}\n${text.endsWith('\n') || text === '' ? text : `${text}\n`}${f}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export interface DecisionLogInput {
  pr: number;
  headSha: string;
  records: readonly HunkRecord[];
  waiting: readonly WaitingHunk[];
  /** Hunks whose LLM answer was refused, with why (shown so people know it was tried). */
  refused?: ReadonlyArray<{ path: string; hunk: number; reason: string }>;
  /** The pushed merge commit, when every hunk was decided. */
  commit?: string | null;
  note?: string | null;
}

export function decisionLogComment(input: DecisionLogInput): string {
  const out: string[] = [DECISION_LOG_MARKER];
  const decided = input.records.filter((r) => r.layer !== null).length;
  out.push(
    input.commit
      ? `### ✅ Conflicts resolved (${plural(decided, 'hunk')})\nMerge commit \`${input.commit.slice(0, 12)}\` pushed to the branch. Merge this PR with a **merge commit**: never squash or rebase.`
      : `### 🙋 ${plural(input.waiting.length, 'hunk')} need${input.waiting.length === 1 ? 's' : ''} a person\n${decided} of ${input.records.length} hunks were decided automatically; nothing is committed until every hunk is decided. Pick a side in Slack, or push a resolution to the branch and run the resolver again.`,
  );
  if (input.note) out.push(input.note);
  out.push(
    '',
    '| File | Hunk | Decided by | Rule or strategy | Confidence | Why |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const r of input.records) {
    const layer = r.layer ? (LAYER_NAMES[r.layer] ?? r.layer) : '⏳ waiting';
    const refused = input.refused?.find((x) => x.path === r.path && x.hunk === r.hunk);
    const why = refused && r.layer === null ? `${r.rationale}; LLM answer refused: ${refused.reason}` : r.rationale;
    out.push(
      `| \`${cell(r.path)}\` | ${r.hunk + 1} | ${layer} | ${cell(r.by ?? '')} | ${r.layer ? r.confidence.toFixed(2) : '-'} | ${cell(why)} |`,
    );
  }
  for (const w of input.waiting) {
    out.push(
      '',
      `<details><summary><code>${w.path.replace(/[<>&]/g, '')}</code> hunk ${w.index} of ${w.of}${w.url ? ` (<a href="${w.url}">open</a>)` : ''}</summary>`,
      '',
      '**upstream**',
      fenced(clip(w.upstream, 6000)),
      '',
      '**fork**',
      fenced(clip(w.fork, 6000)),
      '</details>',
    );
  }
  out.push(
    '',
    `<sub>Head ${input.headSha.slice(0, 12)} · decided by path rules, deterministic strategies, remembered resolutions, the LLM (validated) or people, in that order.</sub>`,
  );
  return out.join('\n');
}

export function mergeCommitMessage(pr: number, records: readonly HunkRecord[]): string {
  const byLayer = new Map<string, number>();
  for (const r of records) byLayer.set(r.layer ?? 'waiting', (byLayer.get(r.layer ?? 'waiting') ?? 0) + 1);
  const files = [...new Set(records.map((r) => r.path))];
  const lines = [
    `fix: resolve upstream sync conflicts for PR #${pr}`,
    '',
    `${plural(records.length, 'hunk')} in ${plural(files.length, 'file')}: ${[...byLayer].map(([k, v]) => `${LAYER_NAMES[k] ?? k} ${v}`).join(', ')}.`,
    '',
  ];
  for (const f of files) {
    const rs = records.filter((r) => r.path === f);
    lines.push(
      `- ${f}: ${rs.map((r) => `${r.hunk + 1} ${LAYER_NAMES[r.layer ?? ''] ?? 'waiting'}${r.by ? ` (${r.by})` : ''}`).join('; ')}`,
    );
  }
  lines.push('', `Resolves: #${pr}`);
  return lines.join('\n');
}
