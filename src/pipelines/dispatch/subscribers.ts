import { z } from 'zod';
import { subscriberSchema, type DispatchConfig, type SubscriberConfig } from '../../config/kinds/dispatch.js';
import { mergeSubscribers, type SubscribersRead } from '../../core/dispatch/subscriptions.js';
import type { GitPort } from '../../ports.js';

// The subscribers of one run: the config's, plus the subscribers file read from the source at
// the commit being processed (so a subscription added in a commit applies to that commit).

const fileSchema = z.array(subscriberSchema);

/** The seed's `ecosystem.json`: a JSON array of `{repo, subscriptions, …}`, validated like config. */
export function parseSubscribersFile(file: string, text: string): SubscribersRead<SubscriberConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `${file} is not JSON: ${(err as Error).message}` };
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? `[${issue.path.join('].')}` : '';
    return { ok: false, message: `${file}${at}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, subscribers: parsed.data };
}

export async function readSubscribers(
  git: GitPort,
  p: DispatchConfig,
  sourceCache: string,
  sha: string,
): Promise<SubscribersRead<SubscriberConfig>> {
  let fromFile: SubscriberConfig[] = [];
  if (p.subscribersFile) {
    const blob = await git.readFile(sourceCache, sha, p.subscribersFile);
    if (!blob)
      return { ok: false, message: `${p.subscribersFile} does not exist in ${p.source.repo} at ${sha.slice(0, 12)}` };
    const read = parseSubscribersFile(p.subscribersFile, blob.toString('utf8'));
    if (!read.ok) return read;
    fromFile = read.subscribers;
  }
  return mergeSubscribers(p.subscribers ?? [], fromFile);
}
