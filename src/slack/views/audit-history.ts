import type { AuditEntry } from '../../ports.js';
import { code, inline, mentionUser } from '../mrkdwn.js';
import { bulletSections, fitBlocks, section, type Block } from './blocks.js';

// The "Latest actions" part of `/upstream-sync history`: the audit log of the pipeline, newest
// first — who, what, when and how it ended, refusals included (with the reason the bot gave).

const OUTCOME: Record<AuditEntry['outcome'], string> = {
  allowed: '▶️ allowed',
  refused: '⛔ refused',
  done: '✅ done',
  failed: '❌ failed',
};

function who(e: AuditEntry): string {
  if (e.actor.kind === 'slack') return mentionUser(e.actor.id);
  return `${e.actor.kind} ${code(e.actor.id)}`;
}

/** Slack renders the time in the reader's zone; the ISO text is the fallback. */
function when(at: string): string {
  const seconds = Math.floor(Date.parse(at) / 1000);
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_short} {time}|${at}>` : inline(at);
}

export function auditLine(e: AuditEntry): string {
  const reason = typeof e.details?.reason === 'string' ? ` (${inline(e.details.reason)})` : '';
  const target = e.target ? ` ${code(e.target)}` : '';
  return `• ${when(e.at)} ${who(e)} *${inline(e.action)}*${target}: ${OUTCOME[e.outcome]}${e.outcome === 'refused' || e.outcome === 'failed' ? reason : ''}`;
}

export function auditBlocks(pipelineId: string, entries: AuditEntry[]): Block[] {
  const lines = entries.map(auditLine);
  return [
    section(`*Latest actions on ${code(pipelineId)}* (newest first, from the audit log)`),
    ...bulletSections(lines.length ? lines : ['none recorded'], { maxLines: 30, maxBlocks: 4 }),
  ];
}

/** A history reply (runs) with the latest actions below it, within Slack's block limit. */
export function withLatestActions(
  message: { text: string; blocks: Block[] },
  pipelineId: string,
  entries: AuditEntry[],
): { text: string; blocks: Block[] } {
  return { text: message.text, blocks: fitBlocks([...message.blocks, ...auditBlocks(pipelineId, entries)], 50) };
}
