import picomatch from 'picomatch';

// Who receives what: the subscribers (from config and from the source's subscribers file) and,
// for one range of source commits, the (subscriber, feature) pairs whose subscription matches a
// changed path. Pure: the pipeline reads the file and the diff and passes them in.

/** One subscription of one subscriber that a change touched: the unit delivered once. */
export interface Delivery {
  subscriber: string;
  /** The subscription as written (a directory prefix or a glob): the "feature". */
  feature: string;
  mode: Subscriber['mode'];
  /** Changed paths under this feature, sorted. */
  changedPaths: string[];
}

/** What matching needs of a subscriber (config/kinds/dispatch.ts has the full shape). */
export interface Subscriber {
  repo: string;
  subscriptions: string[];
  mode: 'dispatch' | 'pull-request';
  pathMap?: Record<string, string> | undefined;
}

export type SubscribersRead<S extends Subscriber = Subscriber> =
  { ok: true; subscribers: S[] } | { ok: false; message: string };

/** Config subscribers and file subscribers together; one repository listed twice is an error. */
export function mergeSubscribers<S extends Subscriber>(
  fromConfig: readonly S[],
  fromFile: readonly S[],
): SubscribersRead<S> {
  const seen = new Set<string>();
  const all: S[] = [];
  for (const s of [...fromConfig, ...fromFile]) {
    const key = s.repo.toLowerCase();
    if (seen.has(key))
      return { ok: false, message: `subscriber ${s.repo} is listed twice (config and subscribers file together)` };
    seen.add(key);
    all.push(s);
  }
  return { ok: true, subscribers: all };
}

const GLOB = /[*?[\]{}()!]/;

/** A directory prefix matches itself and everything below it; anything with glob syntax is a glob. */
export function subscriptionMatcher(subscription: string): (path: string) => boolean {
  if (GLOB.test(subscription)) {
    const test = picomatch(subscription, { dot: true });
    return (path) => test(path);
  }
  const dir = subscription.replace(/\/+$/, '');
  return (path) => path === dir || path.startsWith(`${dir}/`);
}

/** Every (subscriber, feature) whose subscription matches at least one changed path. */
export function deliveriesFor(subscribers: readonly Subscriber[], changedPaths: readonly string[]): Delivery[] {
  const out: Delivery[] = [];
  for (const s of subscribers) {
    for (const feature of s.subscriptions) {
      const matches = changedPaths.filter(subscriptionMatcher(feature));
      if (matches.length) out.push({ subscriber: s.repo, feature, mode: s.mode, changedPaths: [...matches].sort() });
    }
  }
  return out;
}

/** `features/webpush/react` → `features-webpush-react`: a branch name part that is always valid. */
export function featureSlug(feature: string): string {
  const slug = feature
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return slug || 'feature';
}

/**
 * Where a subscribed directory goes in the subscriber (pull-request mode). A glob subscription has
 * no single directory: the directory above its first glob character is what is copied.
 */
export function mappedPath(subscriber: Subscriber, feature: string): { from: string; to: string } {
  const glob = feature.search(GLOB);
  const from = (glob < 0 ? feature : feature.slice(0, feature.lastIndexOf('/', glob) + 1)).replace(/\/+$/, '');
  const to = subscriber.pathMap?.[feature] ?? subscriber.pathMap?.[from] ?? from;
  return { from, to: to.replace(/^\/+|\/+$/g, '') };
}
