import type { Signature } from '../../ports.js';
import { AppError } from '../../errors.js';

// Commits and tags carry the bot's configured identity, given explicitly on every command, so an
// empty machine config (containers) or someone's personal ~/.gitconfig never decides who commits.

function assertSignature(who: Signature): Signature {
  // eslint-disable-next-line no-control-regex -- a newline here would forge header lines
  if (!who.name.trim() || /[<>\x00-\x1f]/.test(who.name) || !/^[^\s<>]+@[^\s<>]+$/.test(who.email)) {
    throw new AppError('validation', `invalid git identity ${JSON.stringify(`${who.name} <${who.email}>`)}`);
  }
  return who;
}

/** Environment that makes `who` the author and committer (and tagger) of what git writes. */
export function identityEnv(who: Signature, date?: string): Record<string, string> {
  assertSignature(who);
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  };
  const when = date ?? who.date;
  if (when) {
    env.GIT_AUTHOR_DATE = gitDate(when);
    env.GIT_COMMITTER_DATE = gitDate(when);
  }
  return env;
}

/** `<unix seconds> +0000`, the form git reads unambiguously. */
export function gitDate(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : Date.now();
  if (Number.isNaN(ms)) throw new AppError('validation', `not a date: ${iso}`);
  return `${Math.floor(ms / 1000)} +0000`;
}

/** The `tagger` header line of an annotated tag object. */
export function taggerLine(who: Signature): string {
  assertSignature(who);
  return `${who.name} <${who.email}> ${gitDate(who.date)}`;
}
