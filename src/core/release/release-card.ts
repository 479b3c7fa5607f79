import type { ReleaseCardData, ReleaseCardKind } from '../../ports.js';
import { renderTemplate } from '../template.js';
import type { Bump } from './fork-version.js';

// Data for the release card (CARTO §7 step 10, §8 release mode). Highlights are read from the
// notes' Markdown, so a release someone published by hand gets a card just like ours.

export const RELEASE_CARD_KINDS: Record<ReleaseCardKind, { label: string; emoji: string; color: string }> = {
  'upstream-sync': { label: 'Upstream Sync', emoji: '🔄', color: '#1E88E5' },
  major: { label: 'Major Release', emoji: '⚠️', color: '#D32F2F' },
  feature: { label: 'Feature Release', emoji: '✨', color: '#36a64f' },
  patch: { label: 'Patch Release', emoji: '🔧', color: '#FFA500' },
};

const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Image tags the build workflow pushes for a release, rendered from config templates. */
export function imageTagsFor(
  templates: readonly string[],
  values: { tag: string; upstream: string },
): { tags: string[]; invalid: string[] } {
  const tags: string[] = [];
  const invalid: string[] = [];
  for (const t of templates) {
    const tag = renderTemplate(t, values);
    if (!DOCKER_TAG.test(tag)) invalid.push(tag);
    else if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, invalid };
}

function plainText(markdownLine: string): string {
  return markdownLine
    .replace(/^\s*[-*]\s+/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(/\\([\\`*_<>[\]])/g, '$1')
    .trim();
}

function bulletsUnder(markdown: string, heading: (h: string) => boolean): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of markdown.split('\n')) {
    if (/^#{1,6}\s/.test(line)) inside = heading(line);
    else if (inside && /^\s*[-*]\s+\S/.test(line)) out.push(plainText(line));
  }
  return out;
}

/** Up to two breaking changes or features, then the first fix: what CARTO's card showed. */
export function highlightsFromNotes(markdown: string): string[] {
  const big = [
    ...bulletsUnder(markdown, (h) => h.includes('⚠️')),
    ...bulletsUnder(markdown, (h) => h.includes('✨')),
  ].slice(0, 2);
  return [...big, ...bulletsUnder(markdown, (h) => h.includes('🐛')).slice(0, 1)];
}

export interface ReleaseCardInput {
  tag: string;
  url: string;
  notes: string;
  previousTag: string | null;
  /** The fork triple, e.g. 1.19.0. */
  version: string;
  upstream: string | null;
  previousUpstream: string | null;
  bump: Bump;
  commitCount: number;
  author: string | null;
  image: { name: string; tags: readonly string[] } | null;
}

export function releaseCardData(input: ReleaseCardInput): ReleaseCardData {
  const synced =
    input.upstream !== null && input.previousUpstream !== null && input.upstream !== input.previousUpstream;
  const kind: ReleaseCardKind = synced
    ? 'upstream-sync'
    : input.bump === 'major'
      ? 'major'
      : input.bump === 'minor'
        ? 'feature'
        : 'patch';
  const meta = RELEASE_CARD_KINDS[kind];
  const image = input.image;
  return {
    tag: input.tag,
    url: input.url,
    kind,
    typeLabel: synced ? `${meta.label} (v${input.previousUpstream} → v${input.upstream})` : meta.label,
    emoji: meta.emoji,
    color: meta.color,
    version: input.version,
    upstream: input.upstream,
    previousTag: input.previousTag,
    highlights: highlightsFromNotes(input.notes),
    commitCount: input.commitCount,
    author: input.author,
    images: image ? image.tags.map((t) => `${image.name}:${t}`) : [],
  };
}
