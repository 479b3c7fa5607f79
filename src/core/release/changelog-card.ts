import picomatch from 'picomatch';
import type { PullCardData, PullCardType } from '../../ports.js';

// Data for the changelog card posted when a PR merges into production (CARTO §8). Pure data: the
// Slack views render it. Type comes from labels first, then the title; impact from the paths.

export const PULL_CARD_TYPES: Record<PullCardType, { label: string; emoji: string; color: string }> = {
  'upstream-sync': { label: 'Upstream Sync', emoji: '🔄', color: '#2196F3' },
  'bug-fix': { label: 'Bug Fix', emoji: '🐛', color: '#FF9800' },
  feature: { label: 'Feature', emoji: '✨', color: '#4CAF50' },
  infrastructure: { label: 'Infrastructure', emoji: '🔧', color: '#9E9E9E' },
  update: { label: 'Update', emoji: '📦', color: '#673AB7' },
};

export interface ImpactRule {
  label: string;
  /** Globs (picomatch) against repository paths; the first rule any file matches wins. */
  paths: string[];
}

/** Used when a pipeline configures no slack.changelogImpact; a configured list replaces them (CARTO adds Providers and Proxy). */
export const DEFAULT_IMPACT_RULES: readonly ImpactRule[] = [
  { label: 'CI/CD', paths: ['.github/**'] },
  { label: 'Docker', paths: ['**/Dockerfile*', 'docker/**', '**/*.dockerfile'] },
];

export const DEFAULT_IMPACT = 'Core';

export function pullCardType(labels: readonly string[], title: string, syncLabel: string | null): PullCardType {
  // Exact label matching (CARTO §17 item 69): "upstream-sync-skip" is not "upstream-sync".
  if (syncLabel !== null && labels.includes(syncLabel)) return 'upstream-sync';
  if (labels.some((l) => /bug|fix/i.test(l))) return 'bug-fix';
  if (labels.some((l) => /^(feature|enhancement)$/i.test(l))) return 'feature';
  const t = title.trim();
  if (/^(fix|bug)/i.test(t)) return 'bug-fix';
  if (/^feat/i.test(t)) return 'feature';
  if (/^(chore|ci|docs|build)\b/i.test(t)) return 'infrastructure';
  return 'update';
}

export function impactOf(paths: readonly string[], rules: readonly ImpactRule[] = DEFAULT_IMPACT_RULES): string {
  for (const rule of rules) {
    const isMatch = picomatch(rule.paths, { dot: true });
    if (paths.some((p) => isMatch(p))) return rule.label;
  }
  return DEFAULT_IMPACT;
}

export interface PullCardInput {
  pull: { number: number; title: string; htmlUrl: string; user: string | null; labels: readonly string[] };
  files: readonly string[];
  additions: number;
  deletions: number;
  /** Upstream version on production after the merge (version file), when known. */
  upstream: string | null;
  syncLabel: string | null;
  /** The pipeline's slack.changelogImpact; absent: DEFAULT_IMPACT_RULES. */
  impactRules?: readonly ImpactRule[];
}

export function pullCardData(input: PullCardInput): PullCardData {
  const { pull } = input;
  const type = pullCardType(pull.labels, pull.title, input.syncLabel);
  const meta = PULL_CARD_TYPES[type];
  const rules = input.impactRules ?? DEFAULT_IMPACT_RULES;
  return {
    number: pull.number,
    title: pull.title,
    url: pull.htmlUrl,
    author: pull.user,
    type,
    typeLabel: meta.label,
    emoji: meta.emoji,
    color: meta.color,
    impact: impactOf(input.files, rules),
    fileCount: input.files.length,
    topFiles: input.files.slice(0, 5),
    additions: input.additions,
    deletions: input.deletions,
    upstream: input.upstream,
  };
}
