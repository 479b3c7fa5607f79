import type { Actor, AuditLog } from '../../ports.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';

// "Accept drop": a person says a dropped fork hunk may go (e.g. upstream solved it differently).
// Audited either way; the merge gate then stops counting that hunk.

export type AcceptDropResult =
  | { accepted: true; pipeline: string; tag: string; hunkId: string; already: boolean }
  | { accepted: false; refused: { reason: 'no-ledger' | 'no-such-hunk' | 'not-dropped'; message: string } };

export function acceptDrop(
  deps: { ledgers: LedgerRecords; audit: AuditLog },
  input: { pipeline: string | null; forkRepo: string | null; pr: number; hunkId: string; actor: Actor },
): AcceptDropResult {
  const record = input.pipeline
    ? deps.ledgers.latest(input.pipeline, { pr: input.pr })
    : deps.ledgers.latestForPr(input.pr);
  const refuse = (reason: 'no-ledger' | 'no-such-hunk' | 'not-dropped', message: string): AcceptDropResult => {
    deps.audit.record({
      actor: input.actor,
      action: 'ledger.accept',
      pipeline: record?.pipeline ?? input.pipeline,
      target: `hunk:${input.hunkId}`,
      outcome: 'refused',
      details: { pr: input.pr, reason },
    });
    return { accepted: false, refused: { reason, message } };
  };
  if (!record) return refuse('no-ledger', `no fork-patch ledger is recorded for PR #${input.pr}`);
  const entry = record.entries.find((e) => e.id === input.hunkId);
  if (!entry) return refuse('no-such-hunk', `the ledger of PR #${input.pr} has no hunk ${input.hunkId}`);
  if (entry.fate !== 'dropped') return refuse('not-dropped', `hunk ${input.hunkId} was ${entry.fate}, not dropped`);
  const already = deps.ledgers.acceptances(record.pipeline, record.tag).some((a) => a.hunkId === entry.id);
  deps.ledgers.accept(record.pipeline, record.tag, entry.id, input.actor);
  deps.audit.record({
    actor: input.actor,
    action: 'ledger.accept',
    pipeline: record.pipeline,
    target: `hunk:${entry.id}`,
    outcome: 'done',
    details: { pr: input.pr, tag: record.tag, path: entry.path, detail: entry.detail },
  });
  return { accepted: true, pipeline: record.pipeline, tag: record.tag, hunkId: entry.id, already };
}
