import type { ReleaseSyncConfig } from '../../config/schema.js';
import { errorMessage } from '../../errors.js';
import { decodeModalMetadata, encodeModalMetadata, type Bump, type ReleaseModalMetadata } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { releaseLoadingModal, releasePreviewModal, releaseProblemModal } from '../views/release-modal.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';
import { releaseJobInput } from '../../jobs/job-kinds.js';

// Release buttons and `release <bump>`: a modal opens at once (trigger ids die after 3 s), then
// shows the computed next tag and the notes; submitting it queues the release job with the tag
// the person saw, and the job refuses if the plan has moved since.

export async function openReleasePreview(
  ctx: SlackContext,
  ix: Interaction,
  p: ReleaseSyncConfig,
  bump: Bump,
): Promise<void> {
  if (!p.release) return ctx.answer(ix, `⚠️ *${p.id}* has no \`release\` settings, so it cuts no releases.`);
  const { chat, log } = ctx.deps;
  let viewId: string | null = null;
  if (ix.triggerId) {
    try {
      viewId = (await chat.openModal(ix.triggerId, releaseLoadingModal(p.id, bump))).viewId;
    } catch (err) {
      log.warn({ err }, 'could not open the release preview');
    }
  }
  if (!(await ctx.allowed(ix, p, 'release', 'release.preview', `bump:${bump}`))) {
    if (viewId)
      await chat
        .updateModal(
          viewId,
          releaseProblemModal(p.id, bump, 'you may not release this pipeline (see the message in the channel)'),
        )
        .catch(() => undefined);
    return;
  }
  if (!viewId) return ctx.answer(ix, '⚠️ Slack did not open the release preview; press the button again.');
  let view;
  try {
    const preview = await ctx.deps.planRelease(p, bump);
    view = releasePreviewModal(preview, ix.channelId);
    // The submission is checked against this record, not against the modal's private_metadata,
    // which comes back from the client and can be edited (a tampered channel sent the answer elsewhere).
    const meta: ReleaseModalMetadata = { p: p.id, bump, tag: preview.nextTag, channel: ix.channelId };
    ctx.deps.messages.upsert({
      pipeline: p.id,
      key: viewId,
      kind: RELEASE_PREVIEW_KIND,
      channel: ix.channelId ?? '',
      ts: viewId,
      threadTs: null,
      state: encodeModalMetadata(meta),
    });
  } catch (err) {
    view = releaseProblemModal(p.id, bump, errorMessage(err));
  }
  await chat.updateModal(viewId, view).catch((err: unknown) => log.warn({ err }, 'could not show the release preview'));
}

export const RELEASE_PREVIEW_KIND = 'release-preview';

/**
 * The preview a submission belongs to, as recorded when it was shown. Null when there is no
 * record or the modal's metadata disagrees with it (refused and audited by the caller).
 */
export function previewOnRecord(
  ctx: SlackContext,
  viewId: string,
  privateMetadata: string | undefined,
): { meta: ReleaseModalMetadata; agrees: boolean } | null {
  const claimed = decodeModalMetadata(privateMetadata);
  if (!claimed) return null;
  const record = ctx.deps.messages.get(claimed.p, viewId, RELEASE_PREVIEW_KIND);
  const meta = record ? decodeModalMetadata(record.state ?? undefined) : null;
  if (!meta) return null;
  return { meta, agrees: encodeModalMetadata(meta) === encodeModalMetadata(claimed) };
}

/** The preview's Release button: check again (lists may have changed), then queue the job. */
export async function submitRelease(
  ctx: SlackContext,
  ix: Interaction,
  viewId: string,
  privateMetadata: string | undefined,
): Promise<void> {
  const found = previewOnRecord(ctx, viewId, privateMetadata);
  const meta = found?.meta;
  const p = meta ? ctx.pipeline(meta.p) : undefined;
  if (!found || !meta || !p) return ctx.answer(ix, '⚠️ That release preview is no longer valid; open a new one.');
  if (!found.agrees) {
    ctx.deps.audit.record({
      actor: actorOf(ix),
      action: 'release',
      pipeline: p.id,
      target: `tag:${meta.tag}`,
      outcome: 'refused',
      details: { reason: 'modal-metadata-disagrees-with-record', claimed: privateMetadata?.slice(0, 500) ?? null },
    });
    ctx.deps.log.warn({ user: ix.userId, viewId }, 'release modal metadata disagrees with its record');
    return ctx.answer(ix, '🚫 Refused: that release preview was altered; open a new one.');
  }
  // The channel check was made when the preview opened; the allow-list is checked again now.
  const asked: Interaction = { ...ix, surface: 'home', channelId: null };
  if (!(await ctx.allowed(asked, p, 'release', 'release', `tag:${meta.tag}`))) return;
  const input = releaseJobInput({ pipeline: p.id, bump: meta.bump, expectedTag: meta.tag }, actorOf(ix));
  await ctx.enqueue(ix, input, `the ${meta.bump} release ${code(meta.tag)} of *${p.id}*`, null);
}
