import { code } from '../mrkdwn.js';
import { confirmDialog, type ConfirmationDialog } from './blocks.js';

// Confirm dialogs for every button that changes something people cannot simply undo. Slack shows
// them on the client before the click is sent, so a stray click never reaches us.

export function approveConfirm(input: { pr: number; productionBranch: string }): ConfirmationDialog {
  return confirmDialog({
    title: `Merge PR #${input.pr}?`,
    text: `PR #${input.pr} is merged into ${code(input.productionBranch)} with a merge commit (never squash or rebase). CI and mergeability are checked again first.`,
    confirm: 'Approve & merge',
  });
}

export function skipConfirm(input: { tag: string; pr: number | null }): ConfirmationDialog {
  const pr = input.pr ? ` Sync PR #${input.pr} is closed (its branch stays).` : '';
  return confirmDialog({
    title: 'Skip this release?',
    text: `${code(input.tag)} will not be synced until someone runs ${code(`/upstream-sync unskip ${input.tag}`)}.${pr}`,
    confirm: 'Skip release',
    danger: true,
  });
}

export function takeSideConfirm(input: { side: 'upstream' | 'fork'; path: string }): ConfirmationDialog {
  const other = input.side === 'upstream' ? 'fork' : 'upstream';
  return confirmDialog({
    title: `Take ${input.side}?`,
    text: `This hunk of ${code(input.path)} keeps the ${input.side} version; the ${other} lines in it are dropped.`,
    confirm: `Take ${input.side}`,
  });
}

export function acceptDropConfirm(input: { path: string; pr: number | null }): ConfirmationDialog {
  return confirmDialog({
    title: 'Accept this drop?',
    text: `The fork's change to ${code(input.path)} stays out of ${input.pr ? `PR #${input.pr}` : 'the sync'}; Approve & merge stops counting it. Recorded in the audit log under your name.`,
    confirm: 'Accept drop',
    danger: true,
  });
}

export function restoreForkConfirm(input: { path: string }): ConfirmationDialog {
  return confirmDialog({
    title: 'Restore the fork side?',
    text: `The fork's change to ${code(input.path)} is applied again in a new commit on the sync branch (a fast-forward push), and the ledger is rebuilt.`,
    confirm: 'Restore fork side',
  });
}
