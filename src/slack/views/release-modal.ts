import type { ChatView } from '../../ports.js';
import { RELEASE_MODAL_CALLBACK, encodeModalMetadata, type Bump } from '../action-ids.js';
import { clip, clipPlain, code, escapeMrkdwn } from '../mrkdwn.js';
import { markdownToMrkdwn } from '../markdown-to-mrkdwn.js';
import { context, fitBlocks, section, LIMITS, type Block } from './blocks.js';

// The release preview: the computed next tag and the notes, shown before anything is tagged.
// Submitting it is the confirmation; the release job re-plans and refuses if the tag moved.

export interface ModalView extends ChatView {
  type: 'modal';
  callback_id?: string;
  title: { type: 'plain_text'; text: string };
  close: { type: 'plain_text'; text: string };
  submit?: { type: 'plain_text'; text: string };
  private_metadata?: string;
  blocks: Block[];
}

export interface ReleasePreview {
  pipeline: string;
  bump: Bump;
  nextTag: string;
  previousTag: string | null;
  /** Upstream version production is on. */
  upstream: string | null;
  commitCount: number;
  /** Release notes (Markdown) as they will be published. */
  notes: string;
  warnings: string[];
}

function modal(title: string, blocks: Block[], extra: Partial<ModalView> = {}): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clipPlain(title, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: fitBlocks(blocks, LIMITS.viewBlocks),
    ...extra,
  };
}

/** Shown at once (trigger ids expire in 3 s) while the plan is computed. */
export function releaseLoadingModal(pipeline: string, bump: Bump): ModalView {
  return modal(`Release ${bump}`, [section(`Computing the next *${bump}* release of ${code(pipeline)}…`)]);
}

export function releaseProblemModal(pipeline: string, bump: Bump, problem: string): ModalView {
  return modal(`Release ${bump}`, [
    section(`⚠️ No *${bump}* release of ${code(pipeline)} now: ${escapeMrkdwn(problem)}`),
  ]);
}

/** Notes split into sections of at most 3000 characters, on line boundaries where possible. */
function notesSections(notes: string, maxSections: number): Block[] {
  const escaped = markdownToMrkdwn(notes.trim() || '(no notes)');
  const chunks: string[] = [];
  let current = '';
  for (const line of escaped.split('\n')) {
    const piece = clip(line, LIMITS.sectionText - 10);
    if (current && current.length + piece.length + 1 > LIMITS.sectionText - 10) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) chunks.push(current);
  const shown: Block[] = chunks.slice(0, maxSections).map((c) => section(c));
  if (chunks.length > maxSections) shown.push(context(`…and ${chunks.length - maxSections} more parts of the notes.`));
  return shown;
}

export function releasePreviewModal(preview: ReleasePreview, channel: string | null): ModalView {
  const facts = [
    `*Next tag*\n${code(preview.nextTag)}`,
    `*Previous release*\n${preview.previousTag ? code(preview.previousTag) : 'none'}`,
    `*Upstream base*\n${preview.upstream ? code(preview.upstream) : 'unknown'}`,
    `*Commits*\n${preview.commitCount}`,
  ];
  const blocks: Block[] = [section(`Cut a *${preview.bump}* release of ${code(preview.pipeline)}?`, { fields: facts })];
  for (const w of preview.warnings.slice(0, 5)) blocks.push(context(`⚠️ ${escapeMrkdwn(w)}`));
  blocks.push(section('*Release notes*'), ...notesSections(preview.notes, 20));
  return modal(`Release ${preview.bump}`, blocks, {
    callback_id: RELEASE_MODAL_CALLBACK,
    submit: { type: 'plain_text', text: 'Release' },
    private_metadata: encodeModalMetadata({ p: preview.pipeline, bump: preview.bump, tag: preview.nextTag, channel }),
  });
}
