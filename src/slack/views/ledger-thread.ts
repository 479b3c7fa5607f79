import { actorMention } from '../../core/wording.js';
import { plural } from '../../core/plural.js';
import type { LedgerDetail } from '../../ports.js';
import { ACTION_IDS, encodeValue } from '../action-ids.js';
import { clip, clipPlain, code, codeBlock, inline } from '../mrkdwn.js';
import { actions, button, buttons, context, fitBlocks, section, LIMITS, type Block } from './blocks.js';
import { acceptDropConfirm, restoreForkConfirm } from './confirm.js';
import type { RenderedMessage } from './sync-card.js';
import { slackDate } from './status.js';

// The fork-patch ledger in a sync card's thread: counts, failing guards, and each dropped fork
// hunk with *Accept drop* and *Restore fork side*. Posted again whenever the ledger is rebuilt or a
// drop is accepted, so the newest reply always tells the truth about the head it names.

/** Hunks shown with buttons; the rest are named and handled from the CLI (`ledger accept`). */
export const LEDGER_THREAD_HUNKS = 12;
const DIFF_CHARS = 900;

export function ledgerReply(pipeline: string, tag: string, d: LedgerDetail): RenderedMessage {
  const c = d.counts;
  const open = d.dropped.filter((h) => !h.accepted);
  const blocking = open.length > 0 || d.guardsFailing.length > 0;
  const status = blocking
    ? `⛔ Approve & merge is refused: ${[
        ...(open.length ? [`${plural(open.length, 'dropped fork hunk')} to restore or accept`] : []),
        ...(d.guardsFailing.length ? [`${plural(d.guardsFailing.length, 'feature guard')} failing`] : []),
      ].join(' · ')}`
    : '✅ Nothing in the ledger blocks Approve & merge.';
  const blocks: Block[] = [
    section(
      `🧾 *Fork-patch ledger* of ${code(d.headSha.slice(0, 10))}${d.pr ? ` (PR #${d.pr})` : ''}\n${c.kept} kept · ${c.absorbed} absorbed · ${c.adapted} adapted · ${c.dropped} dropped${d.pending ? ` · ${plural(d.pending, 'conflicted file')} not classified yet` : ''}\n${status}`,
    ),
  ];
  for (const g of d.guardsFailing.slice(0, 5))
    blocks.push(context(`⛔ feature guard *${inline(g.feature)}*: ${inline(g.failures.join('; '))}`));
  for (const h of d.dropped.slice(0, LEDGER_THREAD_HUNKS)) {
    blocks.push(
      section(
        clip(
          `*${code(clipPlain(h.path, 300))}* ${code(clipPlain(h.id, 220))}\n${inline(h.detail)}\n${codeBlock(h.diff, DIFF_CHARS)}`,
          LIMITS.sectionText,
        ),
      ),
    );
    if (h.accepted) {
      const by = h.accepted.by;
      blocks.push(
        context(
          by.kind === 'bot'
            ? `✅ drop accepted by ${actorMention(by)}: a path rule takes upstream's file here`
            : `✅ drop accepted by ${actorMention(by)} ${slackDate(h.accepted.at)}`,
        ),
      );
      continue;
    }
    const value = encodeValue({ p: pipeline, t: tag, ...(d.pr ? { pr: d.pr } : {}), h: h.id });
    blocks.push(
      actions(
        buttons(
          button({
            label: 'Restore fork side',
            actionId: ACTION_IDS.restoreFork,
            value,
            style: 'primary',
            confirm: restoreForkConfirm({ path: h.path }),
          }),
          button({
            label: 'Accept drop',
            actionId: ACTION_IDS.acceptDrop,
            value,
            style: 'danger',
            confirm: acceptDropConfirm({ path: h.path, pr: d.pr }),
          }),
        ),
      ),
    );
  }
  if (d.dropped.length > LEDGER_THREAD_HUNKS)
    blocks.push(
      context(
        `…and ${d.dropped.length - LEDGER_THREAD_HUNKS} more dropped: ${code(`upstream-sync ledger --pipeline ${pipeline}${d.pr ? ` --pr ${d.pr}` : ''}`)} lists them; ${code('ledger accept --pr N --hunk ID')} accepts one.`,
      ),
    );
  return {
    text: `Fork-patch ledger: ${c.dropped} dropped${open.length !== c.dropped ? ` (${c.dropped - open.length} accepted)` : ''}, ${c.adapted} adapted, ${c.kept} kept, ${c.absorbed} absorbed`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks),
  };
}
