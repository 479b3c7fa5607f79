import { createHash } from 'node:crypto';
import type { WaitingHunk } from '../../ports.js';

/**
 * Names one set of waiting hunks in the key of its thread reply: the same hunks waiting again (a
 * resumed or repeated run) post nothing new; a different set posts a fresh reply.
 */
export function waitingHunksId(waiting: WaitingHunk[]): string {
  return createHash('sha256')
    .update(waiting.map((w) => w.id).join('\n'))
    .digest('hex')
    .slice(0, 16);
}
