import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { Actor } from '../../ports.js';
import { statusMessage } from '../views/status.js';
import type { Interaction, Reply, SlackContext } from './slack-context.js';

// `status` and App Home answer at once from what is known (the view says how old it is); when
// facts are missing or too old, a read-only refresh is queued and the same answer is replaced
// when it ends, so nobody has to ask twice or run `check` to see the truth.

/** How long an answer waits for its refresh; a response_url is good for 30 minutes. */
const REFRESH_WAIT_MS = 2 * 60_000;

export async function answerStatus(
  ctx: SlackContext,
  ix: Interaction,
  pipelines: readonly ReleaseSyncConfig[],
  by: Actor,
): Promise<void> {
  const { status } = ctx.deps;
  const jobs = await status.refresh(pipelines, by);
  await ctx.answer(ix, statusMessage(await status.statuses(pipelines)));
  if (jobs.length)
    void afterRefresh(ctx, jobs, async () => {
      const message: Reply = statusMessage(await status.statuses(pipelines));
      await (ix.replace ? ix.replace(message) : ix.reply(message));
    });
}

/** Runs `then` once the refresh jobs have ended; never throws (the first answer stands). */
export async function afterRefresh(
  ctx: SlackContext,
  jobs: readonly number[],
  then: () => Promise<void>,
): Promise<void> {
  try {
    await Promise.all(jobs.map((id) => ctx.deps.queue.waitFor(id, { timeoutMs: REFRESH_WAIT_MS })));
    await then();
  } catch (err) {
    ctx.deps.log.debug({ err, jobs }, 'status answer not updated after its refresh');
  }
}
