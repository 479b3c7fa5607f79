import type { BranchSyncConfig, ReleaseSyncConfig } from '../../config/schema.js';
import { ledgerRestoreInput } from '../../jobs/job-kinds.js';
import { acceptDrop } from '../../workflows/ledger/accept-drop.js';
import { takenByRuleOf } from '../../workflows/ledger/ledger-gate.js';
import { refreshLedger } from '../../workflows/ledger/ledger-refresh.js';
import { ACTION_IDS, type ActionValue } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { cardTarget } from './button-target.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// *Accept drop* and *Restore fork side* on a dropped fork hunk of the ledger in a card's thread.
// Accept is allowed to those who may approve (it is half of an approval), Restore to those who
// may resolve. The PR comes from the card's record and the hunk must be a dropped hunk of that
// PR's stored ledger: a value naming anything else is refused and audited, and acts on nothing.

type LedgerPipeline = ReleaseSyncConfig | BranchSyncConfig;

/** true when the click was one of these buttons (handled here, whatever the answer). */
export async function ledgerButton(
  ctx: SlackContext,
  ix: Interaction,
  p: LedgerPipeline,
  actionId: string,
  v: ActionValue,
): Promise<boolean> {
  if (actionId !== ACTION_IDS.acceptDrop && actionId !== ACTION_IDS.restoreFork) return false;
  const accept = actionId === ACTION_IDS.acceptDrop;
  const action = accept ? 'ledger.accept' : 'ledger.restore';
  const target = v.h ? `hunk:${v.h}` : null;
  if (!(await ctx.allowed(ix, p, accept ? 'approve' : 'resolve', action, target))) return true;
  const checked = await cardTarget(ctx, ix, p, v, action);
  if (!checked.ok) {
    await ctx.answer(ix, checked.message);
    return true;
  }
  const { tag, pr } = checked.target;
  const ledgers = ctx.deps.ledgers;
  const record = ledgers && pr !== null ? ledgers.latest(p.id, { pr }) : null;
  const entry = record && record.tag === tag ? record.entries.find((e) => e.id === v.h) : undefined;
  const problem = !ledgers
    ? 'this bot keeps no fork-patch ledger'
    : pr === null || !record || record.tag !== tag
      ? `no fork-patch ledger is recorded for the card's sync PR`
      : !entry
        ? `the ledger of PR #${pr} has no hunk ${v.h ?? '(none named)'}`
        : entry.fate !== 'dropped'
          ? `hunk ${entry.id} is ${entry.fate}, not dropped, at ${record.headSha.slice(0, 7)}`
          : null;
  if (problem || !ledgers || !record || !entry || pr === null) {
    ctx.deps.audit.record({
      actor: actorOf(ix),
      action,
      pipeline: p.id,
      target,
      outcome: 'refused',
      details: { reason: 'value-disagrees-with-ledger', problem, value: v, card: checked.target },
    });
    await ctx.answer(ix, `🚫 Refused: ${problem ?? 'unknown hunk'}. Run \`/upstream-sync status\` for a fresh view.`);
    return true;
  }
  if (!accept) {
    await ctx.enqueue(
      ix,
      ledgerRestoreInput(p, { pipeline: p.id, tag, pr, hunkId: entry.id }, actorOf(ix)),
      `restoring the fork side of ${code(entry.id)} on PR #${pr}`,
      { pipeline: p.id, tag },
    );
    return true;
  }
  const done = acceptDrop(
    { ledgers, audit: ctx.deps.audit },
    { pipeline: p.id, forkRepo: p.fork.repo, pr, hunkId: entry.id, actor: actorOf(ix) },
  );
  if (!done.accepted) {
    await ctx.answer(ix, `🚫 ${done.refused.message}.`);
    return true;
  }
  const refusal = await refreshLedger(
    { ledgers, notifier: ctx.deps.notifier, cards: ctx.deps.cards },
    record,
    takenByRuleOf(p),
  );
  const gate = refusal
    ? `Approve & merge is still refused: ${refusal}`
    : 'Nothing in the ledger blocks Approve & merge now.';
  await ctx.answer(
    ix,
    `${done.already ? '☑️ Already accepted' : '✅ Accepted'}: the drop of ${code(entry.id)} on PR #${pr} (audited). ${gate}`,
  );
  return true;
}
