import type { MirrorConfig } from '../../config/schema.js';
import { jobIdentity } from '../../jobs/job-kinds.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import { mirrorRollbackJobInput } from '../../pipelines/mirror/mirror-rollback-job.js';
import { code } from '../mrkdwn.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// A mirror card's Force sync and Roll back (both behind a confirm dialog on the card). Only
// people in access.force may press them, checked and audited here; what they act on (the lease
// of the last stored report, the newest backup) is read on the server when the job runs, never
// taken from the button.

export async function mirrorButton(
  ctx: SlackContext,
  ix: Interaction,
  p: MirrorConfig,
  which: 'force' | 'rollback',
): Promise<void> {
  const target = `${p.target.repo}:${p.target.branch}`;
  if (!(await ctx.allowed(ix, p, 'force', which === 'force' ? 'mirror-force' : 'mirror-rollback', target))) return;
  const actor = actorOf(ix);
  if (which === 'rollback') {
    await ctx.enqueue(ix, mirrorRollbackJobInput(p.id, actor), `a rollback of ${code(target)}`, null);
    return;
  }
  await ctx.enqueue<KindJobData>(
    ix,
    { ...jobIdentity.sync(p.id), data: { pipeline: p.id, force: true }, requestedBy: actor },
    `a force sync of ${code(target)} (with a lease on the reported head)`,
    null,
    {
      busy: (active) =>
        active.data.force ? null : `A mirror run of *${p.id}* is already ${active.state}; press Force sync after it.`,
    },
  );
}
